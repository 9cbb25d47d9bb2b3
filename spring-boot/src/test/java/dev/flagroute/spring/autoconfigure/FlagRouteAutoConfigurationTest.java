package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.spring.TestFlags;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.flagroute.router.RoutesFileWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class FlagRouteAutoConfigurationTest {
  static final String[] CHECKOUT = {
      "flagroute.routes[0].flag=checkout",
      "flagroute.routes[0].service=reviews",
      "flagroute.routes[0].default-variant=v1",
      "flagroute.routes[0].variants.v1=v1",
      "flagroute.routes[0].variants.v2=v2"};

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class))
      .withPropertyValues(CHECKOUT);

  @Test
  void buildsTheRouterFromProperties() {
    runner.withPropertyValues("flagroute.mode=relay", "flagroute.header.codec=combined",
        "flagroute.header.name=x-cohorts", "flagroute.limits.max-flags=3").run(context -> {
          FlagRouter router = context.getBean(FlagRouter.class);
          assertThat(router.mode()).isEqualTo(RoutingMode.RELAY);
          assertThat(router.routes().asList()).containsExactly(FlagRoute.builder("checkout").service("reviews")
              .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build());
          assertThat(router.codec().headerNames(router.routes())).containsExactly("x-cohorts");
          assertThat(router.route(Map.of("x-cohorts", "checkout=v2"), HeaderGetter.forMap()).variant("checkout"))
              .isEqualTo("v2");
        });
  }

  @Test
  void loadsRoutesFromAFile() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class))
        .withPropertyValues("flagroute.mode=relay", "flagroute.routes-file=classpath:flagroutes.yaml")
        .run(context -> assertThat(context.getBean(FlagRouter.class).routes().get("checkout").service())
            .isEqualTo("reviews"));
  }

  @Test
  void appliesHeaderLimits() {
    runner.withPropertyValues("flagroute.mode=relay", "flagroute.limits.max-value-length=1").run(context -> {
      FlagRouter router = context.getBean(FlagRouter.class);
      assertThat(router.route(Map.of("x-flag-checkout", "v2"), HeaderGetter.forMap()).decision("checkout").reason())
          .isEqualTo("MISSING");
    });
  }

  @Test
  void decidesWithTheApplicationsClientBean() {
    OpenFeatureAPI api = TestFlags.api();
    runner.withPropertyValues("flagroute.mode=edge")
        .withBean(Client.class, api::getClient)
        .withBean(OpenFeatureAPI.class, OpenFeatureAPI::createIsolated)
        .run(context -> assertThat(edgeVariant(context.getBean(FlagRouter.class))).isEqualTo("v2"));
  }

  @Test
  void decidesWithTheApplicationsOpenFeatureApiBean() {
    runner.withPropertyValues("flagroute.mode=edge")
        .withBean(OpenFeatureAPI.class, TestFlags::api)
        .run(context -> assertThat(edgeVariant(context.getBean(FlagRouter.class))).isEqualTo("v2"));
  }

  @Test
  void decidesWithTheGlobalApiInTheConfiguredDomain() {
    String domain = "flagroute-test-" + UUID.randomUUID();
    OpenFeatureAPI.getInstance().setProviderAndWait(domain, TestFlags.provider());
    runner.withPropertyValues("flagroute.mode=edge", "flagroute.openfeature.domain=" + domain)
        .run(context -> assertThat(edgeVariant(context.getBean(FlagRouter.class))).isEqualTo("v2"));
  }

  @Test
  void backsOffWhenTheApplicationDefinesARouter() {
    FlagRouter own = FlagRouter.builder(FlagRoutes.empty()).mode(RoutingMode.RELAY).build();
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class))
        .withBean(FlagRouter.class, () -> own)
        .run(context -> assertThat(context).hasNotFailed().getBean(FlagRouter.class).isSameAs(own));
  }

  @Test
  void switchedOffByEnabledFalse() {
    runner.withPropertyValues("flagroute.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagRouter.class));
  }

  @Test
  void everyListenerBeanHearsTheRouterEvenIfOneThrows() {
    RoutingCounters first = new RoutingCounters();
    RoutingCounters second = new RoutingCounters();
    runner.withPropertyValues("flagroute.mode=relay")
        .withBean("first", RoutingCounters.class, () -> first)
        .withBean("failing", RoutingListener.class, () -> new RoutingListener() {
          @Override
          public void decided(FlagContext context) {
            throw new IllegalStateException("listener bug");
          }
        })
        .withBean("second", RoutingCounters.class, () -> second)
        .run(context -> {
          context.getBean(FlagRouter.class).route(Map.of("x-flag-checkout", "v9"), HeaderGetter.forMap());
          assertThat(first.decisions()).isEqualTo(1);
          assertThat(second.decisions()).isEqualTo(1);
          assertThat(second.unknownVariants()).isEqualTo(1);
        });
  }

  @Test
  void aWatchedRoutesFileIsPutInForceWhenItChangesAndAnInvalidOneIsRefused(@TempDir Path folder) throws Exception {
    Path file = folder.resolve("routes.yaml");
    Files.writeString(file, "routes:\n  - flag: checkout\n    service: reviews\n    default: v1\n"
        + "    variants: {v1: v1, v2: v2}\n");
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class))
        .withPropertyValues("flagroute.mode=relay", "flagroute.routes-file=file:" + file,
            "flagroute.routes-watch=1h")
        .run(context -> {
          FlagRouter router = context.getBean(FlagRouter.class);
          RoutesFileWatcher watcher = context.getBean(RoutesFileWatcher.class);
          Files.writeString(file, "routes:\n  - flag: checkout\n    service: reviews\n    default: v1\n"
              + "    variants: {v1: v1, v2: v2, v3: v3}\n");
          assertThat(watcher.checkNow()).hasValueSatisfying(change -> assertThat(change.accepted()).isTrue());
          assertThat(router.route(Map.of("x-flag-checkout", "v3"), HeaderGetter.forMap()).variant("checkout"))
              .isEqualTo("v3");

          Files.writeString(file, "routes: [");
          assertThat(watcher.checkNow()).hasValueSatisfying(change -> assertThat(change.accepted()).isFalse());
          assertThat(router.routes().get("checkout").hasVariant("v3")).isTrue();
        });
  }

  @Test
  void watchingNeedsARoutesFileOnTheFileSystem() {
    runner.withPropertyValues("flagroute.mode=relay", "flagroute.routes-watch=5s")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("flagroute.routes-watch").hasMessageContaining("file on the file system"));
  }

  private static String edgeVariant(FlagRouter router) {
    return router.route(Map.<String, String>of(), HeaderGetter.forMap(), new ImmutableContext("beta-1"))
        .variant("checkout");
  }
}
