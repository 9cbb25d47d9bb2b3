package dev.flagroute.demo.run;

import dev.flagroute.demo.mesh.LocalMesh;
import dev.flagroute.demo.report.HtmlReport;
import dev.flagroute.demo.report.Timeline;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * One run of the demo on loopback: a private copy of the flags file, an OpenFeature API of its
 * own with the flagd provider, the {@link LocalShop} and the scenarios. Everything it starts is
 * stopped and the copy deleted when it returns.
 */
public final class DemoRun {
  private final FlagRoutes routes;
  private final Optional<LocalMesh> mesh;
  private final Optional<String> noMirrors;
  private final Path flagsFile;
  private final Path reportFile;
  private final PrintStream out;

  /**
   * A run of the shop for {@code routes}, routed by {@code mesh}, deciding with the flags in
   * {@code flagsFile}; {@code noMirrors} is what the dark-launch scenario reports instead of
   * running when the mesh's rules have none of the routes' mirrors (e.g. {@code not applicable on
   * linkerd: <the generator's refusal>}); the HTML report of the run is written to {@code reportFile}.
   */
  public DemoRun(FlagRoutes routes, LocalMesh mesh, Optional<String> noMirrors, Path flagsFile, Path reportFile,
      PrintStream out) {
    this(routes, Optional.of(mesh), noMirrors, flagsFile, reportFile, out);
  }

  private DemoRun(FlagRoutes routes, Optional<LocalMesh> mesh, Optional<String> noMirrors, Path flagsFile,
      Path reportFile,
      PrintStream out) {
    this.routes = routes;
    this.mesh = mesh;
    this.noMirrors = noMirrors;
    this.flagsFile = flagsFile;
    this.reportFile = reportFile;
    this.out = out;
  }

  /**
   * A run of the shop without a mesh: each client calls the version the flags route to, by the
   * routes and the version naming rule, and the dark-launch scenario, which needs the mesh to copy
   * requests, reports that it is not applicable; the HTML report is written to {@code reportFile}.
   */
  public static DemoRun withoutMesh(FlagRoutes routes, Path flagsFile, Path reportFile, PrintStream out) {
    return new DemoRun(routes, Optional.empty(), Optional.of("not applicable without a mesh: a client calls one"
        + " version; copying a request to a dark version is a mesh's job"), flagsFile, reportFile, out);
  }

  /** Runs every scenario, prints the final PASS or FAIL line and writes the report; true on PASS. */
  public boolean run() throws Exception {
    Timeline timeline = new Timeline(routes, Clock.systemUTC());
    Report report = new Report(routes, out, timeline);
    try (FlagsFile flags = FlagsFile.copyOf(flagsFile)) {
      OpenFeatureAPI openFeature = OpenFeatureAPI.createIsolated();
      try {
        openFeature.setProviderAndWait(flags.provider());
        RoutingCounters edge = new RoutingCounters();
        RoutingCounters services = new RoutingCounters();
        OverrideTokens overrides = OverrideTokens.builder(randomSecret()).build();
        try (LocalShop shop = LocalShop.start(routes, mesh, openFeature, overrides, edge, services)) {
          out.println();
          Table layout = new Table("RUNNING", "ADDRESS", "ROLE");
          shop.layout().forEach(layout::row);
          layout.print(out, "   ");
          new Scenarios(routes, shop, openFeature, flags, overrides, edge, services, report)
              .run(noMirrors);
        }
      } finally {
        openFeature.shutdown();
      }
    }
    String line = report.finalLine();
    timeline.finished(line);
    HtmlReport.write(timeline, reportFile);
    out.println("report: " + reportFile + " (one HTML file: open it in a browser, no network needed)");
    out.println(line);
    return report.passed();
  }

  /** A fresh override secret for this run: testers' tokens are signed with it, and die with it. */
  private static String randomSecret() {
    byte[] secret = new byte[OverrideTokens.MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    return Base64.getEncoder().encodeToString(secret);
  }
}
