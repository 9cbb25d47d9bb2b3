package dev.flagroute.demo;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.demo.app.Shop;
import dev.flagroute.demo.k8s.FormatRoutes;
import dev.flagroute.demo.mesh.LocalMesh;
import dev.flagroute.demo.run.DemoRun;
import dev.flagroute.demo.run.ClusterService;
import dev.flagroute.direct.VersionAddresses;
import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshDriftCheck;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshYaml;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's demo. Without arguments it starts the shop on 127.0.0.1, runs every scenario,
 * prints a table per scenario and exits 0 only if every row is right. {@code serve} runs one
 * service as a cluster would, for the manifests in {@code k8s/}. With {@code --mesh none} there is
 * no mesh: the clients call each version directly, by the routes and the version naming rule.
 *
 * <pre>
 * Demo [--dir examples/demo] [--mesh istio|istio-ambient|gateway-api|linkerd|consul|smi|none] [--report FILE]
 * Demo serve frontend --flags FILE [--port 9080] [--reviews http://reviews:9080]
 * Demo serve reviews --version v2 [--port 9080] [--ratings ratings:9080]
 * Demo serve ratings --version v2 [--port 9080]
 * </pre>
 */
public final class Demo {
  /** The {@code --mesh} value for running without a mesh. */
  public static final String NO_MESH = "none";

  private Demo() {}

  /** Runs the demo and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Runs the demo, printing to {@code out}; returns 0 if every scenario passed, 1 if not, 2 on bad arguments. */
  public static int run(String[] args, PrintStream out) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      out.println("usage: Demo [--dir DIR] [--mesh " + String.join("|", MeshFormat.all().stream().map(MeshFormat::id)
          .toList()) + "|" + NO_MESH + "] [--report FILE]");
      out.println("       Demo serve frontend|reviews|ratings [--version V] [--port P] [--flags FILE]"
          + " [--reviews URL] [--ratings HOST:PORT]");
      return 2;
    }
    try {
      if (options.serve != null) {
        ClusterService.serve(options.serve, options.values);
        return 0;
      }
      return demo(options, out);
    } catch (Exception e) {
      out.println();
      out.println("FAIL: " + e);
      return 1;
    }
  }

  private static int demo(Options options, PrintStream out) throws Exception {
    Path dir = options.dir();
    FlagRoutes routes = FlagRoutesFile.load(dir.resolve("routes.yaml"));
    if (NO_MESH.equals(options.values.get("mesh"))) {
      out.println("flagroute demo: decide flag variants once at the edge, stamp them on every call, and call the"
          + " version they route to directly: no mesh");
      out.println();
      out.println("   routes " + shown(dir.resolve("routes.yaml")) + ": " + routes.size() + " flags, each steering one"
          + " service");
      out.println("   flags  " + shown(dir.resolve("flags.flagd.json")) + ": read by flagd in offline file mode");
      out.println("   mesh   none: each client picks the version's host by the naming rule "
          + VersionAddresses.DEFAULT_NAMING);
      return DemoRun.withoutMesh(routes, dir.resolve("flags.flagd.json"), options.report(), out).run() ? 0 : 1;
    }
    MeshFormat format = MeshFormat.of(options.values.getOrDefault("mesh", MeshFormat.ISTIO.id()));
    Path meshFile = dir.resolve("k8s").resolve(format.id() + ".yaml");
    List<Map<String, Object>> documents = MeshYaml.read(Files.readString(meshFile), meshFile.toString());
    out.println("flagroute demo: decide flag variants once at the edge, stamp them on every call, let the mesh route");
    out.println();
    out.println("   routes " + shown(dir.resolve("routes.yaml")) + ": " + routes.size() + " flags, each steering one service");
    out.println("   flags  " + shown(dir.resolve("flags.flagd.json")) + ": read by flagd in offline file mode");
    out.println("   mesh   " + shown(meshFile) + ": the rules a cluster would apply, generated from the routes");
    FormatRoutes meshRoutes = FormatRoutes.of(routes, format);
    meshRoutes.mirrorRefusal().ifPresent(why -> out.println("          (generated from the routes less their mirrors: "
        + format.id() + " cannot mirror)"));
    List<Drift> drift = MeshDriftCheck.of(meshRoutes.routes(), HeaderCodec.perFlag(), Shop.meshOptions())
        .check(documents);
    if (!drift.isEmpty()) {
      drift.forEach(d -> out.println("   drift: " + d));
      out.println();
      out.println("FAIL: the mesh rules in " + meshFile + " do not match the routes; regenerate k8s/ (see ManifestsTest)");
      return 1;
    }
    out.println("          (checked against the routes: no drift)");
    return new DemoRun(routes, LocalMesh.of(documents), meshRoutes.mirrorRefusal().map(why -> "not applicable on "
        + format.id() + ": " + why), dir.resolve("flags.flagd.json"), options.report(), out).run() ? 0 : 1;
  }

  /** {@code path} relative to the working directory when it lies below it. */
  private static String shown(Path path) {
    Path cwd = Path.of("").toAbsolutePath();
    Path absolute = path.toAbsolutePath().normalize();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }

  /** Parsed command line. */
  private record Options(String serve, Map<String, String> values) {
    private static final List<String> DEMO = List.of("dir", "mesh", "report");
    private static final List<String> SERVE = List.of("version", "port", "flags", "reviews", "ratings");

    static Options parse(String[] args) {
      List<String> list = Arrays.asList(args);
      String serve = null;
      if (!list.isEmpty() && list.get(0).equals("serve")) {
        if (list.size() < 2) {
          throw new IllegalArgumentException("serve needs a service: frontend, reviews or ratings");
        }
        serve = list.get(1);
        list = list.subList(2, list.size());
      }
      Map<String, String> values = new LinkedHashMap<>();
      List<String> allowed = serve == null ? DEMO : SERVE;
      for (int i = 0; i < list.size(); i += 2) {
        String name = list.get(i).startsWith("--") ? list.get(i).substring(2) : null;
        if (name == null || !allowed.contains(name) || i + 1 >= list.size()) {
          throw new IllegalArgumentException("unexpected argument '" + list.get(i) + "'; expected --NAME VALUE with"
              + " NAME one of " + allowed);
        }
        values.put(name, list.get(i + 1));
      }
      if (values.containsKey("mesh") && !values.get("mesh").equals(NO_MESH)) {
        MeshFormat.of(values.get("mesh")); // an unknown format fails here, naming the known ones
      }
      return new Options(serve, Map.copyOf(values));
    }

    /** Where the HTML report goes: --report, else target/demo-report.html in the demo directory. */
    Path report() {
      return values.containsKey("report") ? Path.of(values.get("report"))
          : dir().resolve("target").resolve("demo-report.html");
    }

    /** The demo directory: --dir, else examples/demo or the working directory, whichever has routes.yaml. */
    Path dir() {
      if (values.containsKey("dir")) {
        return Path.of(values.get("dir"));
      }
      Path inRepo = Path.of("examples", "demo");
      return Files.exists(inRepo.resolve("routes.yaml")) ? inRepo : Path.of(".");
    }
  }
}
