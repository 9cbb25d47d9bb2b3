package dev.flagroute.cli;

import dev.flagroute.observe.Metric;
import dev.flagroute.verdict.VerdictState;
import java.util.regex.Pattern;

/**
 * The PromQL every generated artefact shares (rules, dashboard, Argo Rollouts and Flagger
 * templates), over the series that flagroute-micrometer exposes through Micrometer's Prometheus
 * registry, named by {@link Metric}.
 */
final class PromQl {
  /** The recording rules' names, {@code level:metric:operation} as Prometheus recommends. */
  static final String REQUEST_RATE = "flag_variant:flagroute_requests:rate";
  static final String ERROR_RATIO = "flag_variant:flagroute_requests_errors:ratio_rate";
  static final String LATENCY_P95 = "flag_variant:flagroute_requests_seconds:p95_rate";
  static final String DECISION_SHARE = "flag_variant:flagroute_decisions:share_rate";
  static final String WORSE = "flag_variant:flagroute_verdict_worse:max";
  static final String RAMP_MIN = "flag_variant:flagroute_ramp_share:min";
  static final String RAMP_MAX = "flag_variant:flagroute_ramp_share:max";

  private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
  private static final String COUNT = Metric.REQUESTS.prometheusName() + "_count";
  private static final String BUCKET = Metric.REQUESTS.prometheusName() + "_bucket";

  private final String window;

  private PromQl(String window) {
    this.window = window;
  }

  /**
   * Queries over rates in {@code window}, a Prometheus duration such as {@code 5m}.
   *
   * @throws UsageException if {@code window} is no Prometheus duration
   */
  static PromQl window(String window) {
    if (!DURATION.matcher(window).matches()) {
      throw new UsageException("--window '" + window + "' is not a Prometheus duration such as 5m, 30s or 1h");
    }
    return new PromQl(window);
  }

  /** Queries over a window an analysis engine fills in, such as Flagger's {@code {{ interval }}}. */
  static PromQl templated(String placeholder) {
    return new PromQl(placeholder);
  }

  String window() {
    return window;
  }

  /** The name of a recording rule for this window, e.g. {@code ...:rate5m}. */
  String recorded(String rule) {
    return rule.endsWith(":max") || rule.endsWith(":min") ? rule : rule + window;
  }

  /** Requests per second by flag and variant. */
  String requestRate() {
    return "sum by (flag, variant) (rate(" + COUNT + "[" + window + "]))";
  }

  /**
   * The share of failed requests by flag and variant; 0 for a variant without failures, which has
   * no failure series (Micrometer registers a timer when it first records).
   */
  String errorRatio() {
    String all = "sum by (flag, variant) (rate(" + COUNT + "[" + window + "]))";
    return "(sum by (flag, variant) (rate(" + COUNT + "{outcome=\"failure\"}[" + window + "]))\nor " + all
        + " * 0)\n/\n" + all;
  }

  /** The 95th percentile latency in seconds by flag and variant, from the latency buckets. */
  String latencyP95() {
    return "histogram_quantile(0.95, sum by (flag, variant, le) (rate(" + BUCKET + "[" + window + "])))";
  }

  /** Each variant's share of its flag's decisions, 0 to 1. */
  String decisionShare() {
    String decisions = Metric.DECISIONS.prometheusName();
    return "sum by (flag, variant) (rate(" + decisions + "[" + window + "]))\n/ ignoring (variant) group_left ()\n"
        + "sum by (flag) (rate(" + decisions + "[" + window + "]))";
  }

  /** 1 where any replica holds the variant WORSE, else 0, by flag and variant. */
  static String worse() {
    return "max by (flag, variant) (" + Metric.VERDICT_STATE.prometheusName() + " == bool "
        + Metric.code(VerdictState.WORSE) + ")";
  }

  /** The ramp share over replicas, {@code min} or {@code max}, by flag and variant. */
  static String rampShare(String aggregation) {
    return aggregation + " by (flag, variant) (" + Metric.RAMP_SHARE.prometheusName() + ")";
  }

  /**
   * One variant's error ratio (failed share of requests) as a single number, 0 when it had no
   * requests in the window, for analysis engines that need a scalar result.
   */
  String variantErrorRatio(String flag, String variant) {
    String labels = "flag=" + quote(flag) + ", variant=" + quote(variant);
    return "(sum(rate(" + COUNT + "{" + labels + ", outcome=\"failure\"}[" + window + "])) or vector(0))\n/ clamp_min("
        + "(sum(rate(" + COUNT + "{" + labels + "}[" + window + "])) or vector(0)), 1e-9)";
  }

  /** One variant's p95 latency in seconds as a single number. */
  String variantP95(String flag, String variant) {
    return "histogram_quantile(0.95, sum by (le) (rate(" + BUCKET + "{flag=" + quote(flag) + ", variant="
        + quote(variant) + "}[" + window + "])))";
  }

  /** 1 when any replica holds one variant WORSE, else 0 (also without a verdict), as a single number. */
  static String variantWorse(String flag, String variant) {
    return "max(" + Metric.VERDICT_STATE.prometheusName() + "{flag=" + quote(flag) + ", variant=" + quote(variant)
        + "} == bool " + Metric.code(VerdictState.WORSE) + ") or vector(0)";
  }

  /** A PromQL string literal. */
  static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
