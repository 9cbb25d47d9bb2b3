package dev.flagroute.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The mesh-host patterns and the hosts the Kubernetes defaults let flags go to, and refuse. */
class MeshHostsTest {
  private final MeshHosts kubernetes = MeshHosts.kubernetes();

  @ParameterizedTest
  @ValueSource(strings = {"checkout", "Checkout", "checkout.shop.svc", "CHECKOUT.SHOP.SVC", "checkout.shop.svc.",
      "checkout.shop.svc.cluster.local", "checkout.shop.svc.cluster.local.", "xn--bcher-kva.shop.svc", "localhost",
      "LOCALHOST", "localhost.", "127.0.0.1", "127.255.3.4", "::1", "[::1]", "0:0:0:0:0:0:0:1", "0::1", "shop.svc"})
  void theKubernetesDefaultsAllowMeshHosts(String host) {
    assertThat(kubernetes.allows(host)).as(host).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "evil.com", "svc.evil.com", "evil.svc.cluster.local.attacker.com",
      ".svc", "svc.", "checkout..svc", "checkout.svc..", "checkout.\u017fvc", "checkout.SVC\u0000", "ch\u212Aeckout",
      "b\u00fccher.shop.svc", "checkout.", "2130706433", "0x7f000001", "127.1", "0177.0.0.1", "127.0.0.1.",
      "127.000.0.1", "128.0.0.1", "10.0.0.1", "::2", "[::1", "::1]", "fe80::1%25eth0", "::ffff:127.0.0.1",
      "1:2:3:4:5:6:7:8:9", "checkout.svc@evil.com", "evil.com@checkout.svc", "checkout svc", "checkout/x.svc",
      "checkout.svc:80", "*.svc", "*", "x.svc.cluster.local.evil", "-.svc.cluster.locall", "xn--evil.com"})
  void theyRefuseEverythingElse(String host) {
    assertThat(kubernetes.allows(host)).as(host).isFalse();
  }

  @Test
  void svcIsASuffixOfLabelsNotOfCharacters() {
    assertThat(kubernetes.allows("checkout.notsvc")).isFalse();
    assertThat(kubernetes.allows("checkout.svc")).isTrue();
  }

  @Test
  void authoritiesLoseTheirPortButNeverPassUserInfo() {
    assertThat(kubernetes.allowsAuthority("checkout.shop.svc.cluster.local:50051")).isTrue();
    assertThat(kubernetes.allowsAuthority("checkout")).isTrue();
    assertThat(kubernetes.allowsAuthority("[::1]:8080")).isTrue();
    assertThat(kubernetes.allowsAuthority("[::1]")).isTrue();
    assertThat(kubernetes.allowsAuthority("::1")).isTrue();
    assertThat(kubernetes.allowsAuthority("localhost:")).isFalse();
    assertThat(kubernetes.allowsAuthority("localhost:123456")).isFalse();
    assertThat(kubernetes.allowsAuthority("localhost:80x")).isFalse();
    assertThat(kubernetes.allowsAuthority("evil.com:443")).isFalse();
    assertThat(kubernetes.allowsAuthority("checkout.svc@evil.com:443")).isFalse();
    assertThat(kubernetes.allowsAuthority("evil.com@checkout.svc:443")).isFalse();
    assertThat(kubernetes.allowsAuthority("[::1]x:80")).isFalse();
    assertThat(kubernetes.allowsAuthority(null)).isFalse();
  }

  @Test
  void patternsTakeNamesSuffixesAndNetworks() {
    MeshHosts hosts = MeshHosts.of("*.internal.example.com", "gateway", "10.0.0.0/8", "fd00::/8", "2001:db8::7");

    assertThat(hosts.allows("billing.internal.example.com")).isTrue();
    assertThat(hosts.allows("internal.example.com")).isFalse();
    assertThat(hosts.allows("gateway")).isTrue();
    assertThat(hosts.allows("checkout")).as("no single-label pattern").isFalse();
    assertThat(hosts.allows("10.200.3.4")).isTrue();
    assertThat(hosts.allows("11.0.0.1")).isFalse();
    assertThat(hosts.allows("fd12:3456::1")).isTrue();
    assertThat(hosts.allows("[FD00::]")).isTrue();
    assertThat(hosts.allows("fe00::1")).isFalse();
    assertThat(hosts.allows("2001:db8:0:0:0:0:0:7")).isTrue();
    assertThat(hosts.allows("2001:db8::8")).isFalse();
    assertThat(hosts.allows("localhost")).isFalse();
  }

  @Test
  void noPatternsAllowNoHost() {
    assertThat(MeshHosts.of().allows("checkout")).isFalse();
    assertThat(MeshHosts.of().allows("127.0.0.1")).isFalse();
  }

  @Test
  void everyPrefixLengthMasksItsBits() {
    assertThat(MeshHosts.of("0.0.0.0/0").allows("203.0.113.9")).isTrue();
    assertThat(MeshHosts.of("::/0").allows("2001:db8::1")).isTrue();
    assertThat(MeshHosts.of("2001:db8::/64").allows("2001:db8::ffff:1")).isTrue();
    assertThat(MeshHosts.of("2001:db8::/65").allows("2001:db8::8000:0:0:1")).isFalse();
    assertThat(MeshHosts.of("192.168.1.128/25").allows("192.168.1.200")).isTrue();
    assertThat(MeshHosts.of("192.168.1.128/25").allows("192.168.1.100")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "*.", "*..svc", "a.*.svc", "*svc", "**", "10.0.0.0/33", "10.0.0.0/", "::1/129",
      "10.0.0", "1.2.3.4.5", "ex ample", "b\u00fccher", "::1::", "*.1", "10.0.0.0/8x", ".svc"})
  void malformedPatternsAreRefusedByName(String pattern) {
    assertThatThrownBy(() -> MeshHosts.of(pattern)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + pattern + "' is not a mesh host pattern");
  }

  @Test
  void equalPatternsMakeEqualHosts() {
    assertThat(MeshHosts.of(MeshHosts.KUBERNETES_PATTERNS)).isEqualTo(kubernetes)
        .hasSameHashCodeAs(kubernetes);
    assertThat(kubernetes).hasToString("*, *.svc, *.svc.cluster.local, localhost, 127.0.0.0/8, ::1");
  }
}
