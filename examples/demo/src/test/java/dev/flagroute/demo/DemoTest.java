package dev.flagroute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flagroute.demo.report.HeadlessChromium;
import dev.flagroute.demo.report.ReportInBrowser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the demo through its entry point as the README's command does (in this JVM, from the
 * module directory) and checks its exit status, its tables and its HTML report in a real browser.
 */
class DemoTest {
  private static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");

  @TempDir
  static Path dir;
  private static Run istio;

  /** The run on Istio's rules, shared by the tests of its output and of its report. */
  private static synchronized Run istio() {
    if (istio == null) {
      istio = run("--dir", ".", "--report", dir.resolve("report.html").toString());
    }
    return istio;
  }

  @Test
  void theReadmeCommandPassesAndEveryTableRowIsRight() {
    Run run = istio();

    assertThat(run.status).as(run.output).isZero();
    assertThat(run.output)
        .contains("(checked against the routes: no drift)")
        .contains("== 1. Each user's variants are decided once, at the edge, and every hop follows them ==")
        .contains("== 2. A client cannot pick its own version")
        .contains("== 3. A tester forces the new versions for one request with a signed override token ==")
        .contains("== 4. The flags file changes")
        .contains("== 5. A dark launch: reviews v3 gets mirrored copies only, and no user ever sees it ==")
        .contains("Every user was answered by the version serving their variant; none by v3.")
        .contains("The mesh sent 4 copies to reviews v3, which skipped all 4 of their writes and recorded none.")
        .contains("The versions serving users recorded a view for each of their 8 requests and skipped none.")
        .contains("== 6. Reviews v2 starts failing: the rollout guard sends its users back to v1 until v2 recovers ==")
        .contains("The guard tripped after ")
        .contains("The guard closed after ")
        .contains("4 users are back on reviews v2")
        .contains("== 7. A guarded ramp widens redesign while it is healthy and rolls it back when reviews v2 fails ==")
        .contains("The share widened: every user on redesign at 10% kept it at 50%.")
        .containsPattern("After \\d+ requests \\(\\d+ failed\\) the verdict is WORSE")
        .contains("Every user got stable (reason RAMP) and was answered by reviews v1.")
        .contains("the ramp stays rolled back until the routes change")
        .contains("== 8. The flag provider fails")
        .contains("The edge dropped all 4 spoofed headers")
        .contains("The edge accepted the signed token once and rejected the altered one as FORGED.")
        .contains("counted 0 requests at the wrong version")
        .contains("== 9. A new variant rolls out: relays first keeps every hop consistent, edge first misroutes ==")
        .contains("Step 2: every hop consistent; 3 users now on ratings v3.")
        .contains("Step 1: 3 users decided 'deep' were served by the default ratings version: a misroute")
        .doesNotContain("NO:");
    assertThat(run.lastLine()).startsWith("PASS: all 73 checks right");
    List<String> rollout = run.section(9);
    assertThat(rollout.stream().filter(line -> line.contains("MISROUTED: decided deep (ratings v3), served by ratings"
        + " v1"))).as("edge first: each user decided the new variant, and only they").hasSize(3)
        .allMatch(line -> line.contains("1. edge new, rules+relays old"));

    List<String> decided = run.section(1);
    for (String user : USERS) {
      boolean tester = user.equals("alice") || user.equals("dave");
      assertThat(decided).as("baseline row of %s", user).anyMatch(Pattern.compile("\\s+" + user + "\\s+"
          + (tester ? "redesign" : "stable") + "\\s+(classic|ml)\\s+flagd: TARGETING_MATCH\\s+"
          + (tester ? "v2" : "v1") + "\\s+v[12]\\s+yes").asMatchPredicate());
    }
    List<String> overridden = run.section(3);
    assertThat(overridden).as("the overridden request").anyMatch(Pattern.compile(
        "\\s+\\w+\\s+redesign\\s+ml\\s+override token\\s+signed: new-reviews=redesign,ratings-model=ml\\s+"
            + "(v1 -> )?v2\\s+(v1 -> )?v2\\s+yes").asMatchPredicate());
    assertThat(overridden.stream().filter(line -> line.contains("altered: "))).singleElement().asString()
        .contains("flagd: TARGETING_MATCH").endsWith("yes");
    List<String> edited = run.section(4);
    for (String user : USERS) {
      boolean tester = List.of("alice", "bob", "dave", "erin").contains(user);
      assertThat(edited).as("row of %s after the edit", user).anyMatch(Pattern.compile("\\s+" + user + "\\s+"
          + (tester ? "redesign" : "stable") + "\\s+ml\\s+flagd: TARGETING_MATCH\\s+(v1 -> )?"
          + (tester ? "v2" : "v1") + "\\s+(v1 -> )?v2\\s+yes").asMatchPredicate());
    }
    List<String> dark = run.section(5);
    for (String user : USERS) {
      boolean tester = List.of("alice", "bob", "dave", "erin").contains(user);
      assertThat(dark).as("row of %s in the dark launch", user).anyMatch(Pattern.compile("\\s+" + user + "\\s+"
          + (tester ? "redesign" : "stable") + "\\s+ml\\s+flagd: TARGETING_MATCH\\s+" + (tester ? "v2" : "v1")
          + "\\s+v2\\s+yes").asMatchPredicate());
    }
    assertThat(dark).as("views per version").anyMatch(Pattern.compile("\\s+v1\\s+4\\s+4\\s+0\\s*")
        .asMatchPredicate()).anyMatch(Pattern.compile("\\s+v2\\s+4\\s+4\\s+0\\s*").asMatchPredicate())
        .anyMatch(Pattern.compile("\\s+v3\\s+0\\s+0\\s+4\\s*").asMatchPredicate());
    List<String> guarded = run.section(6);
    for (String user : USERS) {
      boolean tester = List.of("alice", "bob", "dave", "erin").contains(user);
      assertThat(guarded).as("row of %s while the guard is open", user).anyMatch(Pattern.compile("\\s+" + user
          + "\\s+stable\\s+ml\\s+" + (tester ? "stable default: GUARDED, flagd: TARGETING_MATCH\\s+v2 -> v1"
              : "flagd: TARGETING_MATCH\\s+v1") + "\\s+v2\\s+yes").asMatchPredicate());
      assertThat(guarded).as("row of %s after recovery", user).anyMatch(Pattern.compile("\\s+" + user + "\\s+"
          + (tester ? "redesign" : "stable") + "\\s+ml\\s+flagd: TARGETING_MATCH\\s+"
          + (tester ? "v1 -> v2" : "v1") + "\\s+v2\\s+yes").asMatchPredicate());
    }
    List<String> outage = run.section(8);
    for (String user : USERS) {
      assertThat(outage).as("row of %s during the outage", user).anyMatch(Pattern.compile("\\s+" + user
          + "\\s+stable\\s+classic\\s+stable default: ERROR_GENERAL\\s+(v2 -> )?v1\\s+(v2 -> )?v1\\s+yes").asMatchPredicate());
    }
  }

  /**
   * The run's report is one self-contained HTML file that headless Chromium renders without a
   * console message, with each flag's share chart and the ramp chart drawn in their series' colours.
   */
  @Test
  void theReportRendersInABrowserWithItsCharts() throws IOException, InterruptedException {
    Run run = istio();
    Path report = dir.resolve("report.html");
    assertThat(run.output).contains("report: " + report);
    ReportInBrowser.assertSelfContained(report);
    assertThat(Files.readString(report)).contains("\"state\":\"WORSE\"").contains("\"state\":\"ROLLED_BACK\"");
    Optional<HeadlessChromium> chromium = ReportInBrowser.chromium(dir);
    assumeTrue(chromium.isPresent(), "chromium is not installed (Debian: apt-get install chromium), so the demo's"
        + " report is not checked in a browser here; CI installs it and runs this test");
    ReportInBrowser.assertRendersWithItsCharts(chromium.get(), report, dir.resolve("report.png"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"istio-ambient", "gateway-api", "linkerd", "consul", "smi"})
  void theRulesOfEveryFormatRouteEveryRequestTheSameWay(String format) {
    Run run = run("--dir", ".", "--mesh", format, "--report", dir.resolve(format + ".html").toString());

    assertThat(run.status).as(run.output).isZero();
    assertThat(run.output).contains("k8s/" + format + ".yaml").contains("(checked against the routes: no drift)")
        .contains((format.equals("linkerd") ? "gateway-api" : format) + " rules").doesNotContain("NO:");
    if (format.equals("gateway-api") || format.equals("istio-ambient")) {
      assertThat(run.output).contains("The mesh sent 4 copies to reviews v3, which skipped all 4 of their writes");
    } else {
      assertThat(run.output).contains("(generated from the routes less their mirrors: " + format + " cannot mirror)")
          .contains("not applicable on " + format + ": service 'reviews': flag 'new-reviews' mirrors variant"
              + " 'redesign' to v3, but ");
    }
    assertThat(run.lastLine()).startsWith("PASS: all ").contains(" checks right");
  }

  @Test
  void withoutAMeshEveryClientCallsTheFlagsVersionAndTheSameChecksPass() {
    Run run = run("--dir", ".", "--mesh", "none");

    assertThat(run.status).as(run.output).isZero();
    assertThat(run.output).contains("mesh   none: each client picks the version's host by the naming rule"
        + " {service}-{version}").contains("no mesh").doesNotContain("k8s/").doesNotContain("NO:")
        .contains("counted 0 requests at the wrong version")
        .contains("not applicable without a mesh: a client calls one version");
    List<String> decided = run.section(1);
    for (String user : USERS) {
      boolean tester = user.equals("alice") || user.equals("dave");
      assertThat(decided).as("baseline row of %s", user).anyMatch(Pattern.compile("\\s+" + user + "\\s+"
          + (tester ? "redesign" : "stable") + "\\s+(classic|ml)\\s+flagd: TARGETING_MATCH\\s+"
          + (tester ? "v2" : "v1") + "\\s+v[12]\\s+yes").asMatchPredicate());
    }
    assertThat(run.lastLine()).startsWith("PASS: all ").contains(" checks right");
  }

  @Test
  void badArgumentsExitWithUsage() {
    Run run = run("--colour", "red");

    assertThat(run.status).isEqualTo(2);
    assertThat(run.output).contains("unexpected argument '--colour'").contains("usage: Demo");
    Run mesh = run("--mesh", "kuma");
    assertThat(mesh.status).isEqualTo(2);
    assertThat(mesh.output).contains("unknown mesh format 'kuma'; expected one of [istio, istio-ambient, gateway-api,"
        + " linkerd, consul, smi]").contains("usage: Demo [--dir DIR] [--mesh istio|istio-ambient|gateway-api|linkerd"
        + "|consul|smi|none] [--report FILE]");
  }

  private static Run run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status = Demo.run(args, out);
    }
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  private record Run(int status, String output) {
    String lastLine() {
      List<String> lines = output.strip().lines().toList();
      return lines.get(lines.size() - 1);
    }

    /** The lines of scenario {@code number}, from its heading to the next one. */
    List<String> section(int number) {
      int start = output.indexOf("== " + number + ". ");
      assertThat(start).as("scenario %d in%n%s", number, output).isNotNegative();
      int end = output.indexOf("== " + (number + 1) + ". ", start);
      return output.substring(start, end < 0 ? output.length() : end).lines().toList();
    }
  }
}
