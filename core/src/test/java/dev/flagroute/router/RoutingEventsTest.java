package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static dev.flagroute.support.TestRoutes.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.RecordingListener;
import dev.flagroute.support.TestProviders;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingEventsTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();

  @Test
  void theListenerHearsEveryKindOfEventInOrder() {
    RecordingListener recorder = new RecordingListener();
    OverrideTokens tokens = OverrideTokens.builder(SECRET).build();
    InMemoryProvider provider = new InMemoryProvider(Map.of("checkout", TestRoutes.checkoutFlag()));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider)) {
      FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .overrides(tokens).listener(recorder).reportForeignHeaders(true).build();
      FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).service("reviews", "v1")
          .listener(recorder).reportForeignHeaders(true).build();

      edge.route(Map.of("x-flag-checkout", "v2", FlagRouter.DEFAULT_OVERRIDE_HEADER,
          tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(1))), GETTER, new ImmutableContext("u"));
      edge.route(Map.of(FlagRouter.DEFAULT_OVERRIDE_HEADER, "nonsense"), GETTER, new ImmutableContext("u"));
      relay.route(Map.of("x-flag-checkout", "v2"), GETTER);

      assertThat(recorder.events()).containsExactly(
          "dropped x-flag-checkout UNTRUSTED",
          "override accepted {checkout=v2}",
          "failed search ERROR_RESULT",
          "decided {checkout=v2, search=off}",
          "override rejected MALFORMED",
          "failed search ERROR_RESULT",
          "decided {checkout=v1, search=off}",
          "misrouted Misroute[service=reviews, version=v1, flagKey=checkout, variant=v2, expectedVersion=v2]",
          "decided {checkout=v2, search=off}");
    }
  }

  @Test
  void aListenerThatThrowsNeverFailsARequest() {
    RoutingListener hostile = (RoutingListener) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {RoutingListener.class}, (proxy, method, args) -> {
          throw new IllegalStateException("listener exploded");
        });
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestProviders.throwing())) {
      FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .overrides(OverrideTokens.builder(SECRET).build()).service("reviews", "v1").listener(hostile).build();
      FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).service("reviews", "v1")
          .listener(hostile).build();

      FlagContext flags = edge.route(Map.of("x-flag-checkout", "v2", FlagRouter.DEFAULT_OVERRIDE_HEADER, "bad"), GETTER);

      assertThat(flags.variants()).containsEntry("checkout", "v1").containsEntry("search", "off");
      assertThat(relay.route(Map.of("x-flag-checkout", "v2", "x-flag-search", "bogus!"), GETTER).variant("checkout"))
          .isEqualTo("v2");
    }
  }
}
