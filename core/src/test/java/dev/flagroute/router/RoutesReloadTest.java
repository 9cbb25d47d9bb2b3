package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.CHECKOUT;
import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.guard.GuardState;
import dev.flagroute.guard.GuardStatus;
import dev.flagroute.observe.RoutesChange;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestRoutes;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesReloadTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();
  private static final FlagRoute CHECKOUT_V3 = FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").variant("v3", "v3").defaultVariant("v1").build();
  private static final FlagRoutes WITH_V3 = FlagRoutes.of(CHECKOUT_V3, TestRoutes.SEARCH);

  private static final String FILE_V2 = """
      routes:
        - flag: checkout
          service: reviews
          default: v1
          variants: {v1: v1, v2: v2}
      """;
  private static final String FILE_V3 = """
      routes:
        - flag: checkout
          service: reviews
          default: v1
          variants: {v1: v1, v2: v2, v3: v3}
      """;

  @TempDir
  Path folder;

  @Test
  void reloadedRoutesRouteNewRequestsAndARequestKeepsTheRoutesItStartedWith() {
    List<RoutesChange> heard = new CopyOnWriteArrayList<>();
    FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).listener(new RoutingListener() {
      @Override
      public void routesChanged(RoutesChange change) {
        heard.add(change);
      }
    }).build();
    FlagContext before = relay.route(Map.of("x-flag-checkout", "v2"), GETTER);

    RoutesChange change = relay.reload(WITH_V3, "test");

    assertThat(change.accepted()).isTrue();
    assertThat(heard).containsExactly(change);
    assertThat(relay.routes()).isSameAs(WITH_V3);
    assertThat(relay.route(Map.of("x-flag-checkout", "v3"), GETTER).variant("checkout")).isEqualTo("v3");
    assertThat(before.routes()).isSameAs(ROUTES);
    assertThat(before.variant("checkout")).isEqualTo("v2");
  }

  @Test
  void routesTheRouterCannotUseAreRefusedAndTheOldOnesStay() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .guard("search", GuardPolicy.defaults()).build();

      RoutesChange change = edge.reload(FlagRoutes.of(CHECKOUT), "without-search.yaml");

      assertThat(change.accepted()).isFalse();
      assertThat(change.problems()).singleElement().asString().contains("search");
      assertThat(change.routes()).isSameAs(ROUTES);
      assertThat(edge.routes()).isSameAs(ROUTES);
      assertThat(edge.route(Map.of(), GETTER).variant("search")).isEqualTo("on");
    }
  }

  @Test
  void aReloadStartsTheGuardAndVerdictsAfreshAndTheOperatorActsOnTheRoutesInForce() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .guard("checkout", GuardPolicy.defaults()).verdicts("checkout", VerdictPolicy.defaults()).build();
      GuardOperator operator = edge.guardOperator();
      assertThat(operator.forceOff("checkout", "v2").state()).isEqualTo(GuardState.FORCED_OFF);

      assertThat(edge.reload(WITH_V3, "with-v3.yaml").accepted()).isTrue();

      assertThat(edge.guardStatus()).extracting(GuardStatus::variant).containsExactly("v2", "v3");
      assertThat(edge.guardStatus()).extracting(GuardStatus::state).containsOnly(GuardState.CLOSED);
      assertThat(edge.verdicts()).extracting(Verdict::variant).containsExactly("v2", "v3");
      assertThat(edge.verdicts()).extracting(Verdict::state).containsOnly(VerdictState.NOT_ENOUGH_DATA);
      assertThat(operator.forceOff("checkout", "v3").state()).as("the operator got before the reload")
          .isEqualTo(GuardState.FORCED_OFF);
      assertThat(edge.guardStatus()).extracting(GuardStatus::state)
          .containsExactly(GuardState.CLOSED, GuardState.FORCED_OFF);

      RoutesChange refused = edge.reload(FlagRoutes.of(TestRoutes.SEARCH), "without-checkout.yaml");
      assertThat(refused.accepted()).isFalse();
      assertThat(refused.problems()).singleElement().asString().contains("checkout");
      assertThat(edge.verdicts()).extracting(Verdict::variant).containsExactly("v2", "v3");
    }
  }

  @Test
  void theWatcherPutsAChangedFileInForceAndRefusesAnInvalidOne() throws Exception {
    Path file = folder.resolve("routes.yaml");
    Files.writeString(file, FILE_V2);
    FlagRouter relay = FlagRouter.builder(dev.flagroute.routes.FlagRoutesFile.load(file)).mode(RoutingMode.RELAY)
        .build();
    try (RoutesFileWatcher watcher = RoutesFileWatcher.start(relay, file, Duration.ofHours(1))) {
      assertThat(watcher.checkNow()).isEmpty();

      Files.writeString(file, FILE_V3);
      Optional<RoutesChange> added = watcher.checkNow();
      assertThat(added).hasValueSatisfying(change -> assertThat(change.accepted()).isTrue());
      assertThat(relay.routes().get("checkout").hasVariant("v3")).isTrue();
      assertThat(watcher.checkNow()).isEmpty();

      Files.writeString(file, "routes:\n  - flag: checkout\n    service: reviews\n    default: v9\n");
      RoutesChange refused = watcher.checkNow().orElseThrow();
      assertThat(refused.accepted()).isFalse();
      assertThat(refused.problems()).isNotEmpty();
      assertThat(relay.routes().get("checkout").hasVariant("v3")).isTrue();
      assertThat(watcher.checkNow()).as("refused content is not tried again").isEmpty();

      Files.delete(file);
      assertThat(watcher.checkNow().orElseThrow().accepted()).isFalse();
      assertThat(relay.routes().get("checkout").hasVariant("v3")).isTrue();

      Files.writeString(file, FILE_V2);
      assertThat(watcher.checkNow().orElseThrow().accepted()).isTrue();
      assertThat(relay.routes().get("checkout").hasVariant("v3")).isFalse();
    }
  }

  @Test
  void theWatchersOwnThreadFindsAChange() throws Exception {
    Path file = folder.resolve("routes.yaml");
    Files.writeString(file, FILE_V2);
    FlagRouter relay = FlagRouter.builder(dev.flagroute.routes.FlagRoutesFile.load(file)).mode(RoutingMode.RELAY)
        .build();
    try (RoutesFileWatcher watcher = RoutesFileWatcher.start(relay, file, Duration.ofMillis(20))) {
      Files.writeString(file, FILE_V3);
      assertThat(OpenFeatureFixture.eventually(() -> relay.routes().get("checkout").hasVariant("v3"))).isTrue();
    }
  }

  /** Under load, every request sees one whole set of routes: a variant it carried, of the routes it holds. */
  @Test
  void requestsRoutedWhileRoutesSwapSeeOneSetOfRoutesEach() throws Exception {
    FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).build();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> checks = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        checks.add(threads.submit(() -> {
          int checked = 0;
          while (running.get() || checked < 1000) {
            FlagContext flags = relay.route(Map.of("x-flag-checkout", "v3"), GETTER);
            boolean knowsV3 = flags.routes().get("checkout").hasVariant("v3");
            if (knowsV3) {
              assertThat(flags.variant("checkout")).isEqualTo("v3");
            } else {
              assertThat(flags.routes()).isSameAs(ROUTES);
            }
            assertThat(flags.routes().asList()).allSatisfy(route -> assertThat(flags.variant(route.key())).isNotNull());
            checked++;
          }
          return checked;
        }));
      }
      for (int i = 0; i < 200; i++) {
        relay.reload(i % 2 == 0 ? WITH_V3 : ROUTES, "swap-" + i);
      }
      running.set(false);
      for (Future<Integer> check : checks) {
        assertThat(check.get(120, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
