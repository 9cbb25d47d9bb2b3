package dev.flagroute.cli;

import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.InvalidRoutesException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code flagroute rules ENGINE --routes FILE ...}: writes what an engine the user already runs
 * needs to decide on flagroute's per-variant metrics cluster-wide: Prometheus recording and alerting
 * rules, a Grafana dashboard, Argo Rollouts {@code AnalysisTemplate}s or Flagger
 * {@code MetricTemplate}s.
 */
public final class RulesCommand implements Command {
  /** The Prometheus address the analysis templates query unless {@code --prometheus-address} is given. */
  static final String DEFAULT_PROMETHEUS = "http://prometheus.monitoring:9090";
  private static final Set<String> SINGLE = Set.of("--routes", "--window", "--namespace", "--prometheus-address",
      "--out");
  private static final String USAGE = """
      Usage: flagroute rules prometheus|grafana|argo|flagger --routes FILE [options]

      Writes, from flag routes, what an engine you already run needs to judge each variant
      against its flag's default variant over every replica, from the metrics of flagroute-micrometer:
        prometheus  recording and alerting rules (a rule file for rule_files)
        grafana     a dashboard (JSON to import), over the recording rules
        argo        Argo Rollouts AnalysisTemplates, one per non-default variant
        flagger     Flagger MetricTemplates, three per non-default variant

      Options:
        --routes FILE         the flag routes (YAML or JSON); required
        --window D            the rate window of rules, dashboard and Argo metrics (default 5m;
                              Flagger uses its analysis interval)
        --namespace NS        the namespace of the Argo and Flagger resources (default: none)
        --prometheus-address URL
                              the Prometheus the templates query (default %s)
        --out FILE|-          where to write (default -, standard output)
        --help                this text

      Exit status: 0 written, 2 bad input.
      """.formatted(DEFAULT_PROMETHEUS);

  @Override
  public String summary() {
    return "generate Prometheus rules, a Grafana dashboard, Argo or Flagger templates from flag routes";
  }

  @Override
  public int run(List<String> arguments, PrintStream out, PrintStream err) {
    try {
      Args args = Args.parse(arguments, SINGLE, Set.of());
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      String engine = engine(args.positional());
      PromQl q = PromQl.window(args.value("--window") == null ? "5m" : args.value("--window"));
      FlagRoutes routes = Inputs.routes(args.required("--routes"));
      String prometheus = args.value("--prometheus-address") == null ? DEFAULT_PROMETHEUS
          : args.value("--prometheus-address");
      String text = switch (engine) {
        case "prometheus" -> PrometheusRules.yaml(routes, q);
        case "grafana" -> GrafanaDashboard.json(routes, q);
        case "argo" -> AnalysisTemplates.argo(routes, q, args.value("--namespace"), prometheus);
        default -> AnalysisTemplates.flagger(routes, args.value("--namespace"), prometheus);
      };
      String target = args.value("--out") == null ? "-" : args.value("--out");
      if (target.equals("-")) {
        out.print(text);
      } else {
        write(Path.of(target), text);
        err.println("flagroute rules: wrote " + engine + " for " + routes.size() + " flag"
            + (routes.size() == 1 ? "" : "s") + " to " + target);
      }
      return 0;
    } catch (UsageException | InvalidRoutesException e) {
      err.println("flagroute rules: " + e.getMessage());
      err.println("Run 'flagroute rules --help' for usage.");
      return 2;
    }
  }

  private static String engine(List<String> positional) {
    List<String> engines = List.of("prometheus", "grafana", "argo", "flagger");
    if (positional.size() != 1) {
      throw new UsageException(positional.isEmpty() ? "name the engine: prometheus, grafana, argo or flagger"
          : "expected one engine, found " + positional);
    }
    if (!engines.contains(positional.get(0))) {
      throw new UsageException("unknown engine '" + positional.get(0) + "'; expected prometheus, grafana, argo or"
          + " flagger");
    }
    return positional.get(0);
  }

  private static void write(Path target, String text) {
    try {
      Files.writeString(target, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot write --out file " + target + ": " + e.getMessage());
    }
  }
}
