package dev.flagroute.evaluation;

import static dev.flagroute.support.OpenFeatureFixture.eventually;
import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagExecutors;
import dev.flagroute.context.FlagScope;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutingFlagsProviderTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();
  private static final EvaluationContext BETA = new ImmutableContext("beta-7");
  private static final EvaluationContext USER = new ImmutableContext("user-1");

  private final InMemoryProvider backend = provider();
  private final OpenFeatureFixture openFeature = OpenFeatureFixture.ready(new RoutingFlagsProvider(backend));
  private final Client client = openFeature.client();
  private final FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(client).build();

  @AfterEach
  void shutDown() {
    openFeature.close();
  }

  private static InMemoryProvider provider() {
    Map<String, Flag<?>> flags = new HashMap<>();
    flags.put("checkout", TestRoutes.checkoutFlag());
    flags.put("search", TestRoutes.searchFlag());
    flags.put("banner", Flag.<String>builder().variant("blue", "blue").defaultVariant("blue").build());
    flags.put("dark-mode", Flag.<Boolean>builder().variant("on", true).defaultVariant("on").build());
    return new InMemoryProvider(flags);
  }

  @Test
  void inAppReadsOfARoutingFlagGetTheRequestsDecisionWhateverContextTheyPass() {
    FlagContext flags = router.route(Map.of(), GETTER, BETA);

    try (FlagScope scope = flags.makeCurrent()) {
      FlagEvaluationDetails<String> details = client.getStringDetails("checkout", "v1", USER);
      assertThat(details.getValue()).isEqualTo("v2");
      assertThat(details.getReason()).isEqualTo("TARGETING_MATCH");
      assertThat(details.getFlagMetadata().getString(RoutingFlagsProvider.SOURCE_METADATA)).isEqualTo("EVALUATED");
      assertThat(client.getStringValue("checkout", "v1")).isEqualTo("v2");
    }
    assertThat(client.getStringValue("checkout", "v1", USER)).as("outside the request").isEqualTo("v1");
  }

  @Test
  void relayedAndDefaultedDecisionsAreAnsweredToo() {
    FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).build();
    FlagContext flags = relay.route(Map.of("x-flag-checkout", "v2"), GETTER);

    try (FlagScope scope = flags.makeCurrent()) {
      FlagEvaluationDetails<String> checkout = client.getStringDetails("checkout", "v1", USER);
      FlagEvaluationDetails<String> search = client.getStringDetails("search", "on", USER);
      assertThat(checkout.getValue()).isEqualTo("v2");
      assertThat(checkout.getFlagMetadata().getString(RoutingFlagsProvider.SOURCE_METADATA)).isEqualTo("RELAYED");
      assertThat(search.getValue()).as("the mesh routed on the default, so the app sees it").isEqualTo("off");
      assertThat(search.getFlagMetadata().getString(RoutingFlagsProvider.SOURCE_METADATA)).isEqualTo("DEFAULT");
    }
  }

  @Test
  void otherFlagsOtherTypesAndOtherCaseKeysGoToTheWrappedProvider() {
    try (FlagScope scope = router.route(Map.of(), GETTER, BETA).makeCurrent()) {
      assertThat(client.getStringValue("banner", "red")).isEqualTo("blue");
      assertThat(client.getBooleanValue("dark-mode", false)).isTrue();
      assertThat(client.getStringDetails("CHECKOUT", "v1").getErrorCode()).isNotNull();
    }
  }

  @Test
  void everyThreadOfTheRequestReadsTheSameVariant() throws Exception {
    ExecutorService pool = FlagExecutors.wrap(Executors.newFixedThreadPool(4));
    try (FlagScope scope = router.route(Map.of(), GETTER, BETA).makeCurrent()) {
      Callable<String> read = () -> client.getStringValue("checkout", "v1", USER);
      List<Future<String>> reads = pool.invokeAll(Collections.nCopies(50, read));
      for (Future<String> future : reads) {
        assertThat(future.get(60, TimeUnit.SECONDS)).isEqualTo("v2");
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void theRouterAlwaysAsksTheWrappedProviderEvenInsideAnotherRequest() {
    FlagRouter uncached = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(client).noCache().build();

    try (FlagScope scope = uncached.route(Map.of(), GETTER, BETA).makeCurrent()) {
      assertThat(uncached.route(Map.of(), GETTER, USER).variant("checkout")).isEqualTo("v1");
      assertThat(FlagContext.current().variant("checkout")).as("the outer request is restored").isEqualTo("v2");
    }
  }

  @Test
  void configurationChangesOfTheWrappedProviderReachTheRoutersCache() {
    AtomicInteger changes = new AtomicInteger();
    client.onProviderConfigurationChanged(details -> changes.incrementAndGet());
    assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).isEqualTo("v2");

    backend.updateFlag("checkout", Flag.<String>builder().variant("v1", "v1").defaultVariant("v1").build());

    assertThat(eventually(() -> changes.get() == 1)).isTrue();
    assertThat(eventually(() -> "v1".equals(router.route(Map.of(), GETTER, BETA).variant("checkout")))).isTrue();
  }

  @Test
  void errorAndRecoveryOfTheWrappedProviderAreForwarded() {
    backend.emitProviderError(ProviderEventDetails.builder().message("backend down").build());
    assertThat(eventually(() -> client.getProviderState() == ProviderState.ERROR)).isTrue();
    assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).isEqualTo("v1");

    backend.emitProviderReady(ProviderEventDetails.builder().build());
    assertThat(eventually(() -> client.getProviderState() == ProviderState.READY)).isTrue();
    assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).isEqualTo("v2");
  }

  @Test
  void shuttingDownTheApiShutsDownTheWrappedProvider() {
    AtomicInteger shutdowns = new AtomicInteger();
    InMemoryProvider tracked = new InMemoryProvider(Map.of()) {
      @Override
      public void shutdown() {
        shutdowns.incrementAndGet();
        super.shutdown();
      }
    };
    OpenFeatureFixture.ready(new RoutingFlagsProvider(tracked)).close();

    assertThat(shutdowns.get()).isEqualTo(1);
  }
}
