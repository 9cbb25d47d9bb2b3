package dev.flagroute.cli;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.GatewayApiVersion;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.InvalidRoutesException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code flagroute generate FORMAT --routes FILE ...}: writes the mesh rules for the routes as
 * multi-document YAML, in one of {@link MeshFormat#all()}.
 */
public final class GenerateCommand implements Command {
  private static final Set<String> SINGLE = union(CodecOptions.OPTIONS,
      Set.of("--routes", "--namespace", "--port", "--name-prefix", "--out", "--gateway-api-version",
          "--waypoint"));
  private static final String USAGE = "Usage: flagroute generate " + Formats.ids("|") + " --routes FILE [options]\n\n"
      + "Generates mesh routing rules from flag routes, as multi-document YAML, in one format:\n"
      + Formats.list() + """

      Options:
        --routes FILE         the flag routes (YAML or JSON); required
      """ + CodecOptions.USAGE + """
        --namespace NS        the namespace of every resource (default: none, kubectl's current)
        --port N              the services' port (Istio: named only when given; Gateway API: default 80)
        --grpc SERVICE...     services that speak gRPC: a GRPCRoute in Gateway API, protocol grpc in Consul
        --name-prefix P       prefix of generated resource names (default: none; Consul takes none)
        --gateway-api-version V
                              the Gateway API release gateway-api output must be valid for: 1.6
                              (default) or 1.1 (Linkerd's; also for 1.2 to 1.5). Either writes what
                              both accept unless a mirror below 100% needs 1.6
        --waypoint NAME       istio-ambient: the waypoint Gateway routed Services use (default waypoint)
        --out FILE|-          where to write the YAML (default -, standard output)
        --help                this text

      Exit status: 0 written, 2 bad input.
      """;

  @Override
  public String summary() {
    return "generate mesh rules (" + Formats.ids(", ") + ") from flag routes";
  }

  @Override
  public int run(List<String> arguments, PrintStream out, PrintStream err) {
    try {
      Args args = Args.parse(arguments, SINGLE, Set.of("--grpc"));
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      MeshFormat format = format(args.positional(), args.value("--gateway-api-version"));
      HeaderCodec codec = CodecOptions.codec(args);
      MeshOptions options = options(args);
      FlagRoutes routes = Inputs.routes(args.required("--routes"));
      String yaml = MeshGenerator.of(routes, codec, options).yaml(format);
      String target = args.value("--out") == null ? "-" : args.value("--out");
      if (target.equals("-")) {
        out.print(yaml);
      } else {
        write(Path.of(target), yaml);
        int services = routes.services().size();
        err.println("flagroute generate: wrote " + format.id() + " rules for " + services + " service"
            + (services == 1 ? "" : "s") + " to " + target);
      }
      return 0;
    } catch (UsageException | InvalidRoutesException e) {
      return fail(err, e.getMessage());
    } catch (IllegalArgumentException e) {
      return fail(err, "cannot generate rules: " + e.getMessage());
    }
  }

  private static MeshFormat format(List<String> positional, String gatewayApiVersion) {
    if (positional.size() != 1) {
      throw new UsageException(positional.isEmpty() ? "name the format: " + Formats.ids(" or ")
          : "expected one format, found " + positional);
    }
    try {
      MeshFormat format = MeshFormat.of(positional.get(0));
      if (gatewayApiVersion == null) {
        return format;
      }
      if (format != MeshFormat.GATEWAY_API) {
        throw new UsageException("--gateway-api-version applies to gateway-api only" + (format == MeshFormat.LINKERD
            ? "; linkerd always targets 1.1, the release Linkerd installs" : ""));
      }
      return MeshFormat.gatewayApi(GatewayApiVersion.of(gatewayApiVersion));
    } catch (UsageException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static MeshOptions options(Args args) {
    try {
      MeshOptions.Builder options = MeshOptions.builder().namespace(args.value("--namespace"));
      if (args.value("--port") != null) {
        options.port(port(args.value("--port")));
      }
      if (args.value("--name-prefix") != null) {
        options.namePrefix(args.value("--name-prefix"));
      }
      options.grpc(args.values("--grpc").toArray(String[]::new));
      if (args.value("--waypoint") != null) {
        options.waypoint(args.value("--waypoint"));
      }
      return options.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** {@code --port}'s value as a number. */
  static int port(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException("--port '" + value + "' is not a number");
    }
  }

  private static void write(Path target, String yaml) {
    try {
      Files.writeString(target, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot write --out file " + target + ": " + e.getMessage());
    }
  }

  private static int fail(PrintStream err, String message) {
    err.println("flagroute generate: " + message);
    err.println("Run 'flagroute generate --help' for usage.");
    return 2;
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    return Set.copyOf(union);
  }
}
