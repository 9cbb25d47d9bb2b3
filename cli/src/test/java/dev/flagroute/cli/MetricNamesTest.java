package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.guard.GuardState;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.micrometer.MicrometerRoutingListener;
import dev.flagroute.micrometer.VariantHealthMetrics;
import dev.flagroute.observe.CodecMismatch;
import dev.flagroute.observe.RoutesChange;
import dev.flagroute.observe.VersionFallback;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.flagroute.routes.Ramp;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.micrometer.RolloutMetrics;
import dev.flagroute.observe.Metric;
import dev.flagroute.observe.Misroute;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.verdict.Comparison;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metric names are one set: flagroute-micrometer's real listeners, fed every event, on a real
 * Micrometer Prometheus registry expose exactly the series {@link Metric} names (with Micrometer's
 * Prometheus naming: underscores, {@code _total}, {@code _seconds}) and the tags it lists; and every
 * flagroute series the generated Prometheus rules, Grafana dashboard, Argo Rollouts and Flagger
 * templates query is one the registry exposes, every recording rule they read is one the rules
 * define, and every label they match on is one those series carry.
 */
class MetricNamesTest {
  private static final String ROUTES = CliRun.fixture("/cli/rules/routes.yaml");
  private static final Pattern SERIES = Pattern.compile("(?<![:\\w])flagroute_[a-z0-9_]+(?![:\\w])");
  private static final Pattern RECORDED = Pattern.compile("flag_variant:[a-z0-9_]+:[a-z0-9_]+");
  private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(?:=|!=|=~|!~)\\s*\\\\?\"");

  /** Sample name to the label names of its samples, as scraped. */
  private static final Map<String, Set<String>> SCRAPED = new TreeMap<>();

  @BeforeAll
  static void scrapeEveryMeter() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FlagRoutes routes = FlagRoutesFile.load(Path.of(ROUTES));
    FlagContext context = FlagContext.builder(routes).evaluated("new-reviews", "redesign", "TARGETING_MATCH")
        .relayed("ratings-model", "ml").build();
    for (RoutingListener listener : List.of(new MicrometerRoutingListener(registry),
        new VariantHealthMetrics(registry))) {
      listener.decided(context);
      listener.decided(FlagContext.builder(routes).evaluated("new-reviews", "stable", FlagDecision.GUARDED).build());
      listener.decided(FlagContext.builder(routes).evaluated("new-reviews", "stable", FlagDecision.RAMP).build());
      listener.completed(context, RequestOutcome.success(Duration.ofMillis(20)));
      listener.completed(context, RequestOutcome.failure(Duration.ofMillis(700)));
      listener.headerDropped("x-flag-new-reviews", DropReason.values()[0]);
      listener.overrideAccepted(Map.of("new-reviews", "redesign"));
      listener.overrideRejected(OverrideRejection.values()[0]);
      listener.misrouted(new Misroute("reviews", "v1", "new-reviews", "redesign", "v2"));
      listener.evaluationFailed("new-reviews", EvaluationFailure.values()[0]);
      listener.evaluationStuck(1);
      listener.guardChanged(new GuardTransition("new-reviews", "redesign", GuardState.CLOSED, GuardState.OPEN, 20,
          0.5, 0, GuardTransition.Cause.EVIDENCE));
      listener.egressBlocked("api.example.com");
      listener.unknownVariant("new-reviews", "beta");
      listener.codecMismatch(new CodecMismatch("per-flag x-flag-", "baggage", "baggage"));
      listener.routesChanged(new RoutesChange("routes.yaml", routes, List.of()));
      listener.versionFellBack(new VersionFallback("reviews", "v2", "v1", "UnknownHostException"));
      Comparison none = new Comparison(VerdictState.WORSE, 1000, 100, 1000, 10, 0.01);
      listener.verdictChanged(new Verdict("new-reviews", "redesign", VerdictState.WORSE, none, none,
          Duration.ofMillis(80)));
      listener.rampChanged(new RampStatus("ratings-model", "ml", RampState.RAMPING, 1, 5, Instant.EPOCH));
    }
    bindRolloutGauges(registry);
    for (String line : registry.scrape().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      String name = brace < 0 ? line.substring(0, line.indexOf(' ')) : line.substring(0, brace);
      Set<String> labels = SCRAPED.computeIfAbsent(name, key -> new TreeSet<>());
      if (brace >= 0) {
        Matcher label = Pattern.compile("([a-zA-Z_]+)=\"").matcher(line.substring(brace, line.lastIndexOf('}')));
        while (label.find()) {
          labels.add(label.group(1));
        }
      }
    }
  }

  /** The verdict and ramp gauges of a real edge router over routes that ramp a variant. */
  private static void bindRolloutGauges(PrometheusMeterRegistry registry) {
    FlagRoutes ramped = FlagRoutes.of(FlagRoute.builder("ratings-model").service("ratings").variant("classic", "v1")
        .variant("ml", "v2").defaultVariant("classic")
        .ramp("ml", Ramp.of(Instant.EPOCH, Duration.ofMinutes(10), 10, 100)).build());
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    FlagRouter edge = FlagRouter.builder(ramped).mode(RoutingMode.EDGE).client(api.getClient()).build();
    new RolloutMetrics(edge).bindTo(registry);
  }

  @Test
  void theRegistryExposesEveryCataloguedMetricUnderItsPrometheusNameWithItsTags() {
    Set<String> expected = new TreeSet<>();
    for (Metric metric : Metric.values()) {
      List<String> samples = switch (metric.kind()) {
        case COUNTER, GAUGE -> List.of(metric.prometheusName());
        case TIMER -> List.of(metric.prometheusName() + "_count", metric.prometheusName() + "_sum",
            metric.prometheusName() + "_bucket", metric.prometheusName() + "_max");
      };
      for (String sample : samples) {
        expected.add(sample);
        assertThat(SCRAPED).as("scraped samples").containsKey(sample);
        Set<String> tags = new TreeSet<>(metric.tags());
        if (sample.endsWith("_bucket")) {
          tags.add("le");
        }
        assertThat(SCRAPED.get(sample)).as("labels of %s", sample).isEqualTo(tags);
      }
    }
    assertThat(SCRAPED.keySet().stream().filter(name -> name.startsWith("flagroute_")))
        .as("no flagroute series outside the catalogue").containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theLatencyBucketsAreTheCataloguedOnes() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FlagContext context = FlagContext.builder(FlagRoutesFile.load(Path.of(ROUTES)))
        .relayed("new-reviews", "stable").build();
    new VariantHealthMetrics(registry).completed(context, RequestOutcome.success(Duration.ofMillis(1)));
    Set<String> buckets = new TreeSet<>();
    Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(registry.scrape());
    while (le.find()) {
      buckets.add(le.group(1));
    }
    Set<String> expected = new TreeSet<>(Set.of("+Inf"));
    Metric.LATENCY_BUCKETS.forEach(bucket -> expected.add(Double.toString(bucket.toNanos() / 1e9)));
    assertThat(buckets).isEqualTo(expected);
  }

  @Test
  void everySeriesTheGeneratedArtefactsQueryIsExposedAndEveryRecordingRuleTheyReadIsDefined() {
    String rules = generate("prometheus");
    Set<String> defined = new TreeSet<>();
    Matcher record = Pattern.compile("record: (\\S+)").matcher(rules);
    while (record.find()) {
      defined.add(record.group(1));
    }
    assertThat(defined).hasSize(7);
    for (String engine : List.of("prometheus", "grafana", "argo", "flagger")) {
      String text = generate(engine);
      Set<String> queried = matches(SERIES, text);
      assertThat(queried).as(engine).isNotEmpty();
      for (String series : queried) {
        // series are read with their own name, or by the _count / _bucket of a timer family
        assertThat(SCRAPED).as("%s queries %s", engine, series).containsKey(series);
      }
      assertThat(defined).as("recording rules %s reads", engine).containsAll(matches(RECORDED, text));
      Set<String> labels = new TreeSet<>();
      SCRAPED.values().forEach(labels::addAll);
      labels.remove("le");
      Set<String> matched = matches(MATCHER, text, 1);
      matched.remove("le");
      assertThat(labels).as("labels %s matches on", engine).containsAll(matched);
    }
    assertThat(matches(RECORDED, generate("grafana"))).as("the dashboard reads the recording rules")
        .hasSizeGreaterThanOrEqualTo(5);
  }

  private static String generate(String engine) {
    CliRun run = CliRun.of("rules", engine, "--routes", ROUTES);
    assertThat(run.status()).as(run.err()).isZero();
    return run.out();
  }

  private static Set<String> matches(Pattern pattern, String text) {
    return matches(pattern, text, 0);
  }

  private static Set<String> matches(Pattern pattern, String text, int group) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(group));
    }
    return found;
  }
}
