package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.MeshHosts;
import dev.flagroute.config.InvalidSettingException;
import dev.flagroute.config.RoutingSettings;
import dev.flagroute.config.Setting;
import dev.flagroute.config.SettingSource;
import dev.flagroute.observe.RoutingCounters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A router's codec refuses to stamp calls to hosts outside the mesh and counts each refusal. */
class EgressRoutingTest {
  private final RoutingCounters counters = new RoutingCounters();

  @Test
  void theRoutersCodecCountsEachCallItRefuses() {
    HeaderCodec codec = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).listener(counters).build().codec();

    assertThat(codec.meshHosts()).isEqualTo(MeshHosts.kubernetes());
    assertThat(codec.allowsEgress("reviews.shop.svc.cluster.local")).isTrue();
    assertThat(codec.allowsEgressAuthority("reviews:9080")).isTrue();
    assertThat(counters.egressBlocked()).isZero();

    assertThat(codec.allowsEgress("api.stripe.com")).isFalse();
    assertThat(codec.allowsEgressAuthority("api.stripe.com:443")).isFalse();
    assertThat(codec.allowsEgress(null)).isFalse();
    assertThat(counters.egressBlocked()).isEqualTo(3);
  }

  @Test
  void theMeshHostsAreTheBuildersOrTheSettings() {
    HeaderCodec codec = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).meshHosts(MeshHosts.of("*.corp"))
        .build().codec();
    assertThat(codec.allowsEgress("reviews.corp")).isTrue();
    assertThat(codec.allowsEgress("reviews")).isFalse();

    RoutingSettings settings = read(Map.of(Setting.MODE, "relay", Setting.EGRESS_HOSTS, "*.corp, 10.0.0.0/8"));
    assertThat(settings.meshHosts()).isEqualTo(MeshHosts.of("*.corp", "10.0.0.0/8"));
    assertThat(settings.effective()).containsEntry("egress.hosts", "*.corp, 10.0.0.0/8");
    assertThat(settings.routerBuilder(ROUTES).build().codec().allowsEgress("10.1.2.3")).isTrue();
    assertThat(read(Map.of()).meshHosts()).isEqualTo(MeshHosts.kubernetes());
  }

  @Test
  void aBadPatternNamesTheSetting() {
    assertThatThrownBy(() -> read(Map.of(Setting.EGRESS_HOSTS, "*.svc, a.*.b")))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("egress.hosts")
        .hasMessageContaining("'a.*.b' is not a mesh host pattern");
  }

  @Test
  void takingFlagsOutKeepsOtherBaggageMembers() {
    HeaderCodec baggage = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).codec(HeaderCodec.baggage()).build()
        .codec();

    assertThat(baggage.withoutFlags("Baggage", "flag.checkout=v2,userId=7,flag.search=on")).isEqualTo("userId=7");
    assertThat(baggage.withoutFlags("baggage", "flag.checkout=v2")).isNull();
    assertThat(baggage.withoutFlags("x-flagroute-override", "token")).isNull();
    assertThat(baggage.withoutFlags("x-flagroute-shadow", "1")).isNull();
    assertThat(baggage.withoutFlags("accept", "*/*")).isEqualTo("*/*");

    HeaderCodec perFlag = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).build().codec();
    assertThat(perFlag.withoutFlags("X-Flag-Anything", "v2")).isNull();
    assertThat(perFlag.withoutFlags("x-flagroute-shadow", "1")).isNull();
    assertThat(perFlag.withoutFlags("baggage", "flag.checkout=v2,userId=7")).as("every codec's default names")
        .isEqualTo("userId=7");
    assertThat(perFlag.withoutFlags("X-Flags", "checkout=v2")).isNull();
    assertThat(perFlag.withoutFlags("x-request-id", "42")).isEqualTo("42");

    HeaderCodec custom = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).codec(HeaderCodec.baggage("f."))
        .build().codec();
    assertThat(custom.withoutFlags("baggage", "f.checkout=v2,flag.search=on,userId=7")).isEqualTo("userId=7");
    assertThat(custom.withoutFlags("x-flag-checkout", "v2")).isNull();
  }

  private static RoutingSettings read(Map<Setting, String> values) {
    return RoutingSettings.read(SettingSource.of(values, Setting::key));
  }
}
