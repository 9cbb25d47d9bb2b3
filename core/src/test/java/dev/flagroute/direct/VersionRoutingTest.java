package dev.flagroute.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.context.FlagContext;
import dev.flagroute.direct.VersionAddresses.Address;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.observe.VersionFallback;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class VersionRoutingTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("new-reviews").service("reviews").variant("off", "v1").variant("on", "v2")
          .defaultVariant("off").build(),
      FlagRoute.builder("stars").service("reviews").variant("off", "v1").variant("gold", "v3")
          .defaultVariant("off").build());

  @Test
  void namesTheVersionTheFirstActiveFlagRoutesTo() {
    VersionRouting routing = VersionRouting.of(ROUTES, VersionAddresses.defaults());
    FlagContext both = FlagContext.builder(ROUTES).relayed("new-reviews", "on").relayed("stars", "gold").build();
    FlagContext stars = FlagContext.builder(ROUTES).relayed("stars", "gold").build();

    assertThat(routing.target("Reviews", both)).hasValue(
        new VersionTarget("reviews", "v2", new Address("reviews-v2", -1), "v1"));
    assertThat(routing.target("reviews", stars).orElseThrow().address().host()).isEqualTo("reviews-v3");
    assertThat(routing.target("reviews", FlagContext.empty()).orElseThrow().address().host()).isEqualTo("reviews-v1");
    assertThat(routing.target("ratings", both)).isEmpty();
    assertThat(routing.target("reviews-v2", both)).isEmpty();
  }

  @Test
  void namingRuleAndPinsGiveTheAddress() {
    VersionAddresses addresses = VersionAddresses.naming("{service}-{version}.shop.svc.cluster.local")
        .pin("reviews", "v3", "127.0.0.1:9003");

    assertThat(addresses.address("reviews", "v2")).isEqualTo(new Address("reviews-v2.shop.svc.cluster.local", -1));
    assertThat(addresses.address("reviews", "v3")).isEqualTo(new Address("127.0.0.1", 9003));
    assertThat(addresses.address("reviews", "v2").port(8080)).isEqualTo(8080);
    assertThat(addresses.address("reviews", "v3").port(8080)).isEqualTo(9003);
  }

  @Test
  void badNamingRulesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> VersionAddresses.naming("{service}")).hasMessageContaining("lacks {version}");
    assertThatThrownBy(() -> VersionAddresses.naming("{service}-{version}.{namespace}"))
        .hasMessageContaining("placeholder other than");
    assertThatThrownBy(() -> VersionAddresses.naming("{service}-{version}:8080")).hasMessageContaining("host name");
    assertThatThrownBy(() -> VersionAddresses.defaults().pin("reviews", "v2", "host:port"))
        .hasMessageContaining("host:port");
    String longName = "r".repeat(62);
    FlagRoutes odd = FlagRoutes.of(FlagRoute.builder("f").service(longName).variant("off", "v1")
        .variant("on", "v2").defaultVariant("off").build());
    assertThatThrownBy(() -> VersionRouting.of(odd, VersionAddresses.defaults()))
        .hasMessageContaining("'" + longName + "-v1'").hasMessageContaining("not a host name");
  }

  @Test
  void fallbackIsCountedAndTold() {
    List<VersionFallback> heard = new CopyOnWriteArrayList<>();
    VersionRouting routing = VersionRouting.of(ROUTES, VersionAddresses.defaults(), new RoutingListener() {
      @Override
      public void versionFellBack(VersionFallback fallback) {
        heard.add(fallback);
      }
    });
    VersionTarget v2 = routing.target("reviews", FlagContext.builder(ROUTES).relayed("new-reviews", "on").build())
        .orElseThrow();

    VersionTarget stable = routing.fallBack(v2, new UnknownHostException("reviews-v2"));
    routing.fallBack(v2, new ConnectException("Connection refused"));

    assertThat(stable.address().host()).isEqualTo("reviews-v1");
    assertThat(stable.isStable()).isTrue();
    assertThat(routing.fallbacks()).isEqualTo(2);
    assertThat(heard).containsExactly(
        new VersionFallback("reviews", "v2", "v1", "UnknownHostException: reviews-v2"),
        new VersionFallback("reviews", "v2", "v1", "ConnectException: Connection refused"));
    assertThatThrownBy(() -> routing.fallBack(stable, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyUnresolvedNamesAndRefusedConnectionsMeanNoInstance() {
    assertThat(VersionRouting.isNoInstance(new IOException(new UnknownHostException("x")))).isTrue();
    assertThat(VersionRouting.isNoInstance(new ConnectException("refused"))).isTrue();
    assertThat(VersionRouting.isNoInstance(new IOException(new UnresolvedAddressException()))).isTrue();
    assertThat(VersionRouting.isNoInstance(new SocketTimeoutException("read timed out"))).isFalse();
    assertThat(VersionRouting.isNoInstance(new IOException("connection reset"))).isFalse();
  }
}
