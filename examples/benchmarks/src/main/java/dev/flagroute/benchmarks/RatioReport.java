package dev.flagroute.benchmarks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns JMH's JSON result into the tables of {@code docs/PERFORMANCE.md}: every benchmark's time
 * and allocation (a parametrized one's name followed by its parameters), then each target's ratio
 * to its baseline from the same run, or for the egress check the difference per call. A ratio's
 * range comes from both scores' 99.9% error bounds, a difference's from the sum of both errors.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.flagroute.benchmarks.RatioReport target/jmh.json}
 */
public final class RatioReport {
  /** The parameters of the Kafka rows: the record size the benchmark sends by default. */
  private static final String KAFKA_RECORD = "[valueBytes=512]";
  private static final List<Target> TARGETS = List.of(
      Target.atMost("relay read with a metrics listener vs the same without",
          "ExtractBenchmark.flagrouteRelayCounted", "ExtractBenchmark.flagrouteRelay", 1.2),
      Target.atMost("edge cache hit with a metrics listener vs the same without",
          "EdgeBenchmark.edgeCacheHitCounted", "EdgeBenchmark.edgeCacheHit", 1.2),
      Target.atMost("relay read, per-flag codec, vs 10 map lookups into a new map (the limit)",
          "ExtractBenchmark.flagrouteRelay", "ExtractBenchmark.baselineMapLookups", 1.0),
      Target.atMost("relay read, per-flag codec, with a metrics listener (production) vs 10 map lookups",
          "ExtractBenchmark.flagrouteRelayCounted", "ExtractBenchmark.baselineMapLookups", 1.0),
      Target.atMost("relay read, baggage codec, vs the per-flag codec",
          "ExtractBenchmark.flagrouteRelayBaggageCodec", "ExtractBenchmark.flagrouteRelay", 1.5),
      Target.atMost("relay read + stamp of 10 flags it has no route for vs of 10 routed flags",
          "ExtractBenchmark.flagrouteRelayThenInjectUnrouted", "ExtractBenchmark.flagrouteRelayThenInject", 1.2),
      Target.atLeast("relay read, baggage codec, vs OTel W3CBaggagePropagator.extract",
          "ExtractBenchmark.peerOtelBaggageExtract", "ExtractBenchmark.flagrouteRelayBaggageCodec", 5),
      Target.atMost("edge cache miss vs 10 direct OpenFeature calls (in-memory)",
          "EdgeBenchmark.edgeCacheMissRotatingUsers", "EdgeBenchmark.baselineOpenFeatureRotatingUsers", 1.2),
      Target.atMost("relay read with a listener and reportForeignHeaders vs without a listener (no target)",
          "ExtractBenchmark.flagrouteRelayCountedForeign", "ExtractBenchmark.flagrouteRelay", Double.NaN),
      Target.atMost("edge cache hit with a listener and reportForeignHeaders vs without a listener (no target)",
          "EdgeBenchmark.edgeCacheHitCountedForeign", "EdgeBenchmark.edgeCacheHit", Double.NaN),
      Target.atLeast("relay read, per-flag codec, vs OTel W3CBaggagePropagator.extract (round 1: ≥ 10×)",
          "ExtractBenchmark.peerOtelBaggageExtract", "ExtractBenchmark.flagrouteRelay", 10),
      Target.atMost("inject vs 10 map puts (the limit; round 1)",
          "InjectBenchmark.flagrouteInject", "InjectBenchmark.baselineMapPuts", 1.5),
      Target.atLeast("inject vs OTel W3CBaggagePropagator.inject (round 1)",
          "InjectBenchmark.peerOtelBaggageInject", "InjectBenchmark.flagrouteInject", 2),
      Target.atLeast("edge cache hit vs 10 direct OpenFeature calls (in-memory; round 1)",
          "EdgeBenchmark.baselineOpenFeatureOneUser", "EdgeBenchmark.edgeCacheHit", 15),
      Target.atMost("a newcomer's two requests, both missing, the second stored, vs 20 direct calls (no target)",
          "EdgeBenchmark.edgeCacheMissNewcomerTwoRequests", "EdgeBenchmark.baselineOpenFeatureNewcomerTwoRequests",
          Double.NaN),
      Target.atMost("edge without cache vs 10 direct OpenFeature calls (no target)",
          "EdgeBenchmark.edgeNoCache", "EdgeBenchmark.baselineOpenFeatureOneUser", Double.NaN),
      Target.atLeast("Kafka send throughput stamped with 10 flags vs a plain send of the same record (real broker)",
          "KafkaSendBenchmark.baselinePlainSend" + KAFKA_RECORD, "KafkaSendBenchmark.stamped" + KAFKA_RECORD, 0.97),
      Target.atMost("Kafka send of a record with the 10 flag headers vs without them (real broker; no target)",
          "KafkaSendBenchmark.baselinePlainSend" + KAFKA_RECORD,
          "KafkaSendBenchmark.plainSendWithoutHeaders" + KAFKA_RECORD, Double.NaN),
      Target.atMost("gRPC unary call in process through the interceptor pair vs the same call and metadata without them",
          "GrpcCallBenchmark.flaggedCall", "GrpcCallBenchmark.plainCall", 1.05),
      Target.atMost("Kafka send stamped with 10 flags vs a plain send, both to MockProducer (no target)",
          "KafkaStampBenchmark.stamped", "KafkaStampBenchmark.baselinePlainSend", Double.NaN),
      Target.atLeast("edge cache hit vs 10 direct flagd (file mode) evaluations (round 1)",
          "FlagdEdgeBenchmark.baselineFlagdDirect", "FlagdEdgeBenchmark.edgeCacheHit", 200),
      Target.atMost("edge hit + completed, ramps and verdicts on every flag, vs the same without",
          "RolloutBookkeepingBenchmark.rampedHitCompleted", "RolloutBookkeepingBenchmark.plainHitCompleted", 1.1),
      Target.atMost("the same on two threads",
          "RolloutBookkeepingBenchmark.rampedHitCompletedThreads2",
          "RolloutBookkeepingBenchmark.plainHitCompletedThreads2", 1.1),
      Target.atMost("edge hit + completed, ramps, verdicts and a rollout guard, vs without (no target)",
          "RolloutBookkeepingBenchmark.guardedHitCompleted", "RolloutBookkeepingBenchmark.plainHitCompleted",
          Double.NaN));
  /** The hosts of {@code EgressBenchmark}, one difference target each. */
  private static final List<String> EGRESS_HOSTS = List.of("reviews.shop.svc.cluster.local", "reviews",
      "reviews.shop.svc", "api.partner.example.com", "10.42.0.7", "127.0.0.1", "::1");
  /** The most nanoseconds the egress check may add to an outbound stamp. */
  private static final double EGRESS_NANOS = 50;
  /** Allocation bounds: benchmark, label, most bytes per operation. */
  private static final List<Allocation> ALLOCATIONS = List.of(
      new Allocation("ExtractBenchmark.flagrouteRelay", "allocation of a relay read, per-flag codec", 144),
      new Allocation("ExtractBenchmark.flagrouteRelayBaggageCodec", "allocation of a relay read, baggage codec", 144),
      new Allocation("ExtractBenchmark.flagrouteRelayThenInject", "allocation of relay extract + inject, 10 flags (round 1)",
          1024));

  private RatioReport() {}

  /** Prints the tables for the JMH JSON file named by the first argument. */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: RatioReport <jmh result .json>");
      System.exit(2);
    }
    Map<String, Score> scores = read(Path.of(args[0]));
    System.out.println("| benchmark | ns/op | ± (99.9%) | B/op |");
    System.out.println("|---|---:|---:|---:|");
    scores.forEach((name, s) -> System.out.printf(Locale.ROOT, "| %s | %,.1f | %,.1f | %,.0f |%n", name, s.nanos,
        s.error, s.bytes));
    System.out.println();
    System.out.println("| comparison | ratio | range | target | met |");
    System.out.println("|---|---:|---:|---:|---|");
    for (Target target : TARGETS) {
      Score numerator = scores.get(target.numerator);
      Score denominator = scores.get(target.denominator);
      if (numerator == null || denominator == null) {
        System.out.printf("| %s | not run | | | |%n", target.label);
        continue;
      }
      double ratio = numerator.nanos / denominator.nanos;
      double low = (numerator.nanos - numerator.error) / (denominator.nanos + denominator.error);
      double high = (numerator.nanos + numerator.error) / Math.max(denominator.nanos - denominator.error, 1e-9);
      System.out.printf(Locale.ROOT, "| %s | %s | %s–%s | %s | %s |%n", target.label, times(ratio), times(low),
          times(high), target.describe(), target.met(ratio));
    }
    for (String host : EGRESS_HOSTS) {
      Score checked = scores.get("EgressBenchmark.checkedStamp[host=" + host + "]");
      Score plain = scores.get("EgressBenchmark.baselineStamp[host=" + host + "]");
      String label = "egress check per call, host " + host + " (stamp with it minus without)";
      if (checked == null || plain == null) {
        System.out.printf("| %s | not run | | | |%n", label);
        continue;
      }
      double difference = checked.nanos - plain.nanos;
      System.out.printf(Locale.ROOT, "| %s | %+.1f ns | %+.1f–%+.1f ns | ≤ %.0f ns | %s |%n", label, difference,
          difference - checked.error - plain.error, difference + checked.error + plain.error, EGRESS_NANOS,
          difference <= EGRESS_NANOS ? "yes" : "NO");
    }
    for (Allocation bound : ALLOCATIONS) {
      Score score = scores.get(bound.benchmark());
      if (score != null) {
        System.out.printf(Locale.ROOT, "| %s | %,.0f B | | ≤ %,.0f B | %s |%n", bound.label(), score.bytes,
            bound.limit(), score.bytes <= bound.limit() ? "yes" : "NO");
      }
    }
  }

  private static Map<String, Score> read(Path file) {
    Map<String, Score> scores = new LinkedHashMap<>();
    for (JsonNode result : new ObjectMapper().readTree(file.toFile())) {
      String name = result.get("benchmark").asString();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1) + params(result);
      JsonNode primary = result.get("primaryMetric");
      if (!"ns/op".equals(primary.get("scoreUnit").asString())) {
        throw new IllegalArgumentException(name + " is in " + primary.get("scoreUnit") + "; run JMH in ns/op");
      }
      JsonNode secondary = result.path("secondaryMetrics");
      JsonNode bytes = secondary.has("gc.alloc.rate.norm") ? secondary.get("gc.alloc.rate.norm")
          : secondary.path("·gc.alloc.rate.norm");
      scores.put(name, new Score(primary.get("score").asDouble(), errorOf(primary),
          bytes.isMissingNode() ? Double.NaN : bytes.get("score").asDouble()));
    }
    return scores;
  }

  /** A parametrized benchmark's parameters as {@code [name=value,...]}; empty without any. */
  private static String params(JsonNode result) {
    JsonNode params = result.path("params");
    if (!params.isObject() || params.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("[");
    for (Map.Entry<String, JsonNode> param : params.properties()) {
      text.append(text.length() > 1 ? "," : "").append(param.getKey()).append('=').append(param.getValue().asString());
    }
    return text.append(']').toString();
  }

  private static double errorOf(JsonNode metric) {
    double error = metric.path("scoreError").asDouble(Double.NaN);
    return Double.isNaN(error) ? 0 : error;
  }

  private static String times(double ratio) {
    return Double.isInfinite(ratio) || ratio > 1e6 ? "∞" : String.format(Locale.ROOT, ratio >= 100 ? "%,.0f×" : "%.2f×", ratio);
  }

  private record Score(double nanos, double error, double bytes) {}

  private record Allocation(String benchmark, String label, double limit) {}

  /** A ratio numerator / denominator that must stay at most, or reach at least, a bound. */
  private record Target(String label, String numerator, String denominator, double bound, boolean upper) {
    static Target atMost(String label, String numerator, String denominator, double bound) {
      return new Target(label, numerator, denominator, bound, true);
    }

    static Target atLeast(String label, String numerator, String denominator, double bound) {
      return new Target(label, numerator, denominator, bound, false);
    }

    String describe() {
      return Double.isNaN(bound) ? "—" : (upper ? "≤ " : "≥ ") + times(bound);
    }

    String met(double ratio) {
      if (Double.isNaN(bound)) {
        return "—";
      }
      return (upper ? ratio <= bound : ratio >= bound) ? "yes" : "NO";
    }
  }
}
