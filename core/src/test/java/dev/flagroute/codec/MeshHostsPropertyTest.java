package dev.flagroute.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The egress check against an independent oracle: no host, however hostile, is allowed unless it
 * is a mesh host by the Kubernetes defaults, as a strict regular expression states them.
 */
class MeshHostsPropertyTest {
  private static final String LABEL = "[a-z0-9_-]+";
  /** The Kubernetes defaults, stated independently: what may be allowed. */
  private static final Pattern MESH = Pattern.compile("[a-z][a-z0-9_-]*"
      + "|(" + LABEL + "\\.)+svc\\.?|(" + LABEL + "\\.)+svc\\.cluster\\.local\\.?|localhost\\.?"
      + "|127\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){2}"
      + "|\\[?(::1|0::1|(0{1,4}:){7}0{0,3}1|(0{1,4}:){1,6}:0{0,3}1|::(0{1,4}:){0,5}0{0,3}1|0{1,4}::(0{1,4}:){0,4}0{0,3}1)\\]?");

  private final MeshHosts hosts = MeshHosts.kubernetes();

  @Property(tries = 20_000)
  void noHostOutsideTheMeshIsAllowed(@ForAll("hostileHosts") String host) {
    if (hosts.allows(host)) {
      assertThat(MESH.matcher(host.toLowerCase(Locale.ROOT)).matches()).as("allowed %s", host).isTrue();
      assertThat(host.chars().allMatch(c -> c < 128)).as("ASCII %s", host).isTrue();
    }
  }

  @Property(tries = 5_000)
  void meshHostsAreAllowedInEveryCase(@ForAll("meshHosts") String host) {
    assertThat(hosts.allows(host)).as(host).isTrue();
    assertThat(hosts.allowsAuthority(host.endsWith(".") || host.contains(":") ? "[::1]:80" : host + ":8080")).isTrue();
  }

  @Property(tries = 5_000)
  void aMeshHostWithAnythingAppendedIsRefused(@ForAll("meshHosts") String host, @ForAll("outside") String tail) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    assertThat(hosts.allows(name + "." + tail)).as(name + "." + tail).isFalse();
    assertThat(hosts.allows(name + "@" + tail)).isFalse();
    assertThat(hosts.allowsAuthority(name + "@" + tail)).isFalse();
    assertThat(hosts.allowsAuthority(tail + "@" + name)).isFalse();
  }

  /**
   * The table of recent decisions answers as the full check does, for the same string, an equal
   * copy of it, and hosts that share a slot and push each other out (one instance sees every try).
   */
  @Property(tries = 20_000)
  void recentDecisionsAgreeWithTheFullCheck(@ForAll("anyHosts") String host) {
    boolean full = hosts.check(host);
    assertThat(hosts.allows(host)).as(host).isEqualTo(full);
    assertThat(hosts.allows(new String(host.toCharArray()))).as("a copy of %s", host).isEqualTo(full);
    assertThat(hosts.allows(host)).as(host).isEqualTo(full);
  }

  @Provide
  Arbitrary<String> anyHosts() {
    return Arbitraries.oneOf(hostileHosts(), meshHosts(), Combinators.combine(meshHosts(), outside())
        .as((host, tail) -> host + "." + tail));
  }

  @Provide
  Arbitrary<String> meshHosts() {
    Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789-").ofMinLength(1)
        .ofMaxLength(12);
    Arbitrary<String> single = Combinators.combine(Arbitraries.chars().range('a', 'z'), label)
        .as((first, rest) -> first + rest);
    Arbitrary<String> svc = Combinators.combine(label, label, Arbitraries.of(".svc", ".svc.cluster.local"),
        Arbitraries.of("", ".")).as((name, ns, suffix, dot) -> name + "." + ns + suffix + dot);
    Arbitrary<String> loopback = Arbitraries.integers().between(0, 255).list().ofSize(3)
        .map(octets -> "127." + octets.get(0) + "." + octets.get(1) + "." + octets.get(2));
    return Combinators.combine(Arbitraries.oneOf(single, svc, loopback,
        Arbitraries.of("localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1", "0::0:1")), Arbitraries.integers()
        .between(0, 2)).as((host, casing) -> casing == 0 ? host : casing == 1 ? host.toUpperCase(Locale.ROOT)
        : mixed(host));
  }

  @Provide
  Arbitrary<String> outside() {
    return Arbitraries.of("evil.com", "attacker.com", "svc.evil.com", "com", "xn--80ak6aa92e.com", "evil.com.",
        "1.2.3.4", "EVIL.COM");
  }

  @Provide
  Arbitrary<String> hostileHosts() {
    Arbitrary<String> pieces = Arbitraries.of("checkout", ".", "svc", "cluster", "local", "evil", "com", "attacker",
        "@", ":", "::", "1", "127", "0", "0x7f", "[", "]", "%", "25", "xn--", "-", "_", "SVC", "\u017f", "\u212a",
        "\u0130", "\u00fc", "\uff0e", "\u3002", " ", "/", "\\", "\u0000", "\r\n", "ffff", "fe80", "localhost", "443",
        "2130706433", "..");
    Arbitrary<String> built = pieces.list().ofMinSize(1).ofMaxSize(9).map(list -> String.join("", list));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, built),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(40)),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().withChars(":.[]0123456789abcdefABCDEF%").ofMaxLength(45)));
  }

  private static String mixed(String host) {
    StringBuilder mixed = new StringBuilder();
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      mixed.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
    }
    return mixed.toString();
  }
}
