package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatCommandTest {
  private static final String V1_V2 = routes("reviews", "v1", "v1: v1, v2: v2");
  private static final String V1_V2_V3 = routes("reviews", "v1", "v1: v1, v2: v2, v3: v3");
  private static final String V1_V3 = routes("reviews", "v1", "v1: v1, v3: v3");

  @TempDir
  Path folder;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private static String routes(String service, String defaultVariant, String variants) {
    return "routes:\n  - flag: checkout\n    service: " + service + "\n    default: " + defaultVariant
        + "\n    variants: {" + variants + "}\n";
  }

  private int compat(String before, String after) throws IOException {
    Path old = Files.writeString(folder.resolve("old.yaml"), before);
    Path now = Files.writeString(folder.resolve("new.yaml"), after);
    return Main.run(List.of("compat", old.toString(), now.toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void addingAVariantNeedsMeshRulesAndRelaysBeforeTheEdge() throws IOException {
    assertThat(compat(V1_V2, V1_V2_V3)).isEqualTo(1);
    assertThat(out()).contains("flag 'checkout': variant 'v3' added: mesh rules and relays first, then the edge")
        .contains("not safe in any order. Deploy: mesh rules and relays, then the edge.");
  }

  @Test
  void removingAVariantNeedsTheEdgeFirst() throws IOException {
    assertThat(compat(V1_V2_V3, V1_V2)).isEqualTo(1);
    assertThat(out()).contains("variant 'v3' removed: the edge first")
        .contains("Deploy: the edge, then relays and mesh rules.");
  }

  @Test
  void addingAndRemovingAtOnceMustBeSplit() throws IOException {
    assertThat(compat(V1_V2, V1_V3)).isEqualTo(1);
    assertThat(out()).contains("variant 'v3' added").contains("variant 'v2' removed")
        .contains("not safe in one deployment: it adds and removes. Split it");
  }

  @Test
  void flagsAddedOrRemovedDefaultsAndVersionsEachHaveTheirOrder() throws IOException {
    String two = V1_V2 + "  - flag: search\n    service: search\n    default: off\n    variants: {off: v1, on: v2}\n";
    assertThat(compat(V1_V2, two)).isEqualTo(1);
    assertThat(out()).contains("flag 'search': flag added: mesh rules and relays first, then the edge");
    out.reset();
    assertThat(compat(two, V1_V2)).isEqualTo(1);
    assertThat(out()).contains("flag 'search': flag removed: the edge first");
    out.reset();
    assertThat(compat(V1_V2, routes("reviews", "v2", "v1: v1, v2: v2"))).isEqualTo(1);
    assertThat(out()).contains("default variant changed from 'v1' to 'v2': mesh rules and relays in one step")
        .contains("Deploy: mesh rules and relays in one step; the edge in any order.");
    out.reset();
    assertThat(compat(V1_V2, routes("reviews", "v1", "v1: v1, v2: v2-canary"))).isEqualTo(1);
    assertThat(out()).contains("variant 'v2' moves from version 'v2' to 'v2-canary': workloads with the new version"
        + " label first");
  }

  @Test
  void identicalRoutesAreSafe() throws IOException {
    assertThat(compat(V1_V2, V1_V2)).isZero();
    assertThat(out()).contains("no change to routing: safe in any order");
  }

  @Test
  void badInputSaysWhatIsWrong() throws IOException {
    assertThat(compat(V1_V2, "routes: [")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("flagroute compat:");
    assertThat(Main.run(List.of("compat", "only-one.yaml"), new PrintStream(out), new PrintStream(err))).isEqualTo(2);
  }
}
