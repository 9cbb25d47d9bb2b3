package dev.flagroute.cli;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.InvalidMeshException;
import dev.flagroute.mesh.MeshDriftCheck;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.MeshYaml;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.InvalidRoutesException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code flagroute check --routes FILE --mesh FILE...}: reports drift between existing mesh rules
 * and the flag routes; exits 1 when there is any.
 */
public final class CheckCommand implements Command {
  private static final Set<String> SINGLE = GenerateCommand.union(CodecOptions.OPTIONS,
      Set.of("--routes", "--version-label", "--port"));
  private static final String USAGE = """
      Usage: flagroute check --routes FILE --mesh FILE... [options]

      Checks existing mesh rules against flag routes by evaluating them: every flag variant and
      combination must reach its version, header names and values must be the codec's, subsets
      and per-version Services must exist, and no rule may be shadowed. Prints one line per drift.
      The rules of every format among the files are checked:
      """ + Formats.list() + """

      Options:
        --routes FILE         the flag routes (YAML or JSON); required
        --mesh FILE...        mesh YAML files (multi-document; other kinds are ignored); required
      """ + CodecOptions.USAGE + """
        --version-label KEY   the pod label subsets and Services select versions by (default version)
        --port N              the services' port: routes, backends and mirrors on another port are
                              reported as WRONG_PORT (without it, only ports a Service in the files
                              does not expose are)
        --help                this text

      Exit status: 0 no drift, 1 drift found, 2 bad input.
      """;

  @Override
  public String summary() {
    return "check existing mesh rules for drift from flag routes";
  }

  @Override
  public int run(List<String> arguments, PrintStream out, PrintStream err) {
    try {
      Args args = Args.parse(arguments, SINGLE, Set.of("--mesh"));
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      if (!args.positional().isEmpty()) {
        throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
      }
      HeaderCodec codec = CodecOptions.codec(args);
      MeshOptions options = options(args);
      List<String> files = args.values("--mesh");
      if (files.isEmpty()) {
        throw new UsageException("option --mesh is required");
      }
      FlagRoutes routes = Inputs.routes(args.required("--routes"));
      List<Map<String, Object>> documents = new ArrayList<>();
      for (String file : files) {
        documents.addAll(MeshYaml.read(Inputs.text("--mesh", file), file));
      }
      List<Drift> drift = MeshDriftCheck.of(routes, codec, options).check(documents);
      drift.forEach(out::println);
      if (drift.isEmpty()) {
        out.println("no drift: " + count(routes.size(), "flag") + " on " + count(routes.services().size(), "service")
            + " agree with " + count(documents.size(), "document") + " in " + count(files.size(), "file"));
        return 0;
      }
      out.println(count(drift.size(), "drift") + " found");
      return 1;
    } catch (UsageException | InvalidRoutesException | InvalidMeshException e) {
      err.println("flagroute check: " + e.getMessage());
      err.println("Run 'flagroute check --help' for usage.");
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("flagroute check: cannot check these routes: " + e.getMessage());
      return 2;
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static MeshOptions options(Args args) {
    try {
      MeshOptions.Builder options = MeshOptions.builder();
      if (args.value("--version-label") != null) {
        options.versionLabel(args.value("--version-label"));
      }
      if (args.value("--port") != null) {
        options.port(GenerateCommand.port(args.value("--port")));
      }
      return options.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
