package dev.flagroute.demo.run;

import dev.flagroute.context.FlagDecision;
import dev.flagroute.demo.app.Hop;
import dev.flagroute.demo.app.Trace;
import dev.flagroute.demo.report.Timeline;
import dev.flagroute.routes.FlagRoutes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the demo prints: a numbered heading per scenario, notes, and a table per scenario with one
 * row per request (variants decided, versions served, and whether every hop matched), counting
 * the checks and the wrong ones.
 */
final class Report {
  private static final String INDENT = "   ";

  private final FlagRoutes routes;
  private final PrintStream out;
  private final Timeline timeline;
  private final Map<String, Trace> previous = new HashMap<>();
  private int checks;
  private int wrong;
  private int scenario;

  Report(FlagRoutes routes, PrintStream out, Timeline timeline) {
    this.routes = routes;
    this.out = out;
    this.timeline = timeline;
  }

  /** What the run did, for the HTML report. */
  Timeline timeline() {
    return timeline;
  }

  void heading(String title, String explanation) {
    out.println();
    out.println("== " + (++scenario) + ". " + title + " ==");
    timeline.scenario(scenario, title);
    out.println(INDENT + explanation);
    out.println();
  }

  void note(String text) {
    out.println(INDENT + text);
  }

  void blank() {
    out.println();
  }

  /** A table with a column per flag and per service, and {@code extra} (if not null) in between. */
  Table table(String extra) {
    List<String> headers = new ArrayList<>(List.of("USER"));
    routes.forEach(route -> headers.add(route.key()));
    headers.add("DECIDED BY");
    if (extra != null) {
      headers.add(extra);
    }
    headers.addAll(routes.services());
    headers.add("EVERY HOP MATCHES");
    return new Table(headers.toArray(String[]::new));
  }

  /**
   * Adds the row of one request of {@code user}, marking with {@code ->} a service version that
   * differs from the user's previous row, and counts it as a check; {@code problems} empty means
   * right. Returns whether the user moved to another version of some service.
   */
  boolean row(Table table, String user, Trace trace, String extra, List<String> problems) {
    checks++;
    if (!problems.isEmpty()) {
      wrong++;
    }
    List<String> cells = new ArrayList<>(List.of(user));
    routes.forEach(route -> {
      FlagDecision decision = trace.decided().get(route.key());
      cells.add(decision == null ? "-" : decision.variant());
    });
    cells.add(decidedBy(trace));
    if (extra != null) {
      cells.add(extra);
    }
    Trace before = previous.put(user, trace);
    boolean moved = false;
    for (String service : routes.services()) {
      String now = version(trace, service);
      String then = before == null ? now : version(before, service);
      moved |= !now.equals(then);
      cells.add(now.equals(then) ? now : then + " -> " + now);
    }
    cells.add(problems.isEmpty() ? "yes" : "NO: " + String.join("; ", problems));
    table.row(cells.toArray(String[]::new));
    return moved;
  }

  void print(Table table) {
    table.print(out, INDENT);
    out.println();
  }

  /** Counts a check outside any table: {@code problem} if not null, else {@code success}. */
  void check(String problem, String success) {
    checks++;
    if (problem != null) {
      wrong++;
      note("NO: " + problem);
    } else {
      note(success);
    }
  }

  /** The final line: PASS, or FAIL with how many checks were wrong. */
  String finalLine() {
    return wrong == 0
        ? "PASS: all " + checks + " checks right: every hop served the version the edge decided"
        : "FAIL: " + wrong + " of " + checks + " checks wrong (" + (checks - wrong) + " right); see the rows"
            + " marked NO";
  }

  /** Whether every check so far was right. */
  boolean passed() {
    return wrong == 0;
  }

  private static String decidedBy(Trace trace) {
    Set<String> causes = new LinkedHashSet<>();
    trace.decided().values().forEach(d -> causes.add(switch (d.source()) {
      case EVALUATED -> "flagd: " + d.reason();
      case OVERRIDE -> "override token";
      case DEFAULT -> "stable default: " + d.reason();
      case RELAYED -> "relayed";
    }));
    return String.join(", ", causes);
  }

  private static String version(Trace trace, String service) {
    Hop hop = trace.hop(service);
    return hop == null ? "-" : hop.version();
  }
}
