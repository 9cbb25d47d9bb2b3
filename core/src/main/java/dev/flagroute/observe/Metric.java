package dev.flagroute.observe;

import dev.flagroute.guard.GuardState;
import dev.flagroute.ramp.RampState;
import dev.flagroute.verdict.VerdictState;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The one set of flagroute's metric names: {@code flagroute-micrometer} registers its meters by
 * them, and the Prometheus rules, Grafana dashboard and Argo Rollouts / Flagger templates that the
 * {@code flagroute} command line generates query them. Each metric has a Micrometer name
 * ({@link #meterName()}, dot-separated), the tags it carries, and the name Micrometer's Prometheus
 * registry exposes it under ({@link #prometheusName()}).
 *
 * <p>Tag values come from the routes and from enums only, never from request input. The state
 * gauges hold the codes of {@link #code(GuardState)}, {@link #code(VerdictState)} and
 * {@link #code(RampState)}.
 */
public enum Metric {
  /** Decided flags, by flag, variant and source (evaluated, relayed, default, override). */
  DECISIONS("flagroute.decisions", Kind.COUNTER, "flag", "variant", "source"),
  /** Inbound flag headers dropped, by reason. */
  HEADERS_DROPPED("flagroute.headers.dropped", Kind.COUNTER, "reason"),
  /** Override tokens, by outcome and rejection reason. */
  OVERRIDES("flagroute.overrides", Kind.COUNTER, "outcome", "reason"),
  /** Requests that reached a version the mesh should not have sent them to. */
  MISROUTES("flagroute.misroutes", Kind.COUNTER, "flag", "variant"),
  /** Routing flag evaluations that failed, so the flag took its default. */
  EVALUATION_FAILURES("flagroute.evaluation.failures", Kind.COUNTER, "flag", "failure"),
  /** Evaluations taken as stuck in the provider. */
  EVALUATION_STUCK("flagroute.evaluation.stuck", Kind.COUNTER),
  /** Outbound calls to hosts outside the mesh, sent without flags. */
  EGRESS_BLOCKED("flagroute.egress.blocked", Kind.COUNTER),
  /** Variants a relay carried on that its routes do not list (an earlier hop runs newer routes). */
  UNKNOWN_VARIANTS("flagroute.variants.unknown", Kind.COUNTER, "flag"),
  /** Requests carrying flag headers of another codec than the relay's, by expected and received codec. */
  CODEC_MISMATCHES("flagroute.codec.mismatches", Kind.COUNTER, "expected", "received"),
  /** New routes given to a running router, by outcome ({@code accepted} or {@code refused}). */
  ROUTES_CHANGES("flagroute.routes.changes", Kind.COUNTER, "outcome"),
  /** Calls made without a mesh that went to the stable version because their version had no instance. */
  VERSION_FALLBACKS("flagroute.version.fallbacks", Kind.COUNTER, "service", "version"),
  /**
   * Routed requests by flag, variant, served version and outcome ({@code success} or
   * {@code failure}), with their latency in the buckets of {@link #LATENCY_BUCKETS}.
   */
  REQUESTS("flagroute.requests", Kind.TIMER, "flag", "variant", "version", "outcome"),
  /** Rollout guard transitions, by the state entered and the cause ({@code evidence} or {@code operator}). */
  GUARD_TRANSITIONS("flagroute.guard.transitions", Kind.COUNTER, "flag", "variant", "state", "cause"),
  /** Rollout guard state of a variant, as {@link #code(GuardState)}. */
  GUARD_STATE("flagroute.guard.state", Kind.GAUGE, "flag", "variant"),
  /** Requests the rollout guard gave the default variant instead of a failing one. */
  GUARD_HELD("flagroute.guard.held", Kind.COUNTER, "flag"),
  /** Verdict of a variant against its flag's default, as {@link #code(VerdictState)}. */
  VERDICT_STATE("flagroute.verdict.state", Kind.GAUGE, "flag", "variant"),
  /** Verdict changes, by the state entered. */
  VERDICT_TRANSITIONS("flagroute.verdict.transitions", Kind.COUNTER, "flag", "variant", "state"),
  /** Share of users a ramped variant may reach now, 0 to 1 (0 while pending or once rolled back). */
  RAMP_SHARE("flagroute.ramp.share", Kind.GAUGE, "flag", "variant"),
  /** State of a ramped variant, as {@link #code(RampState)}. */
  RAMP_STATE("flagroute.ramp.state", Kind.GAUGE, "flag", "variant"),
  /** Ramp changes (new steps, completion, roll-backs), by the state entered. */
  RAMP_TRANSITIONS("flagroute.ramp.transitions", Kind.COUNTER, "flag", "variant", "state"),
  /** Requests a ramp gave the default variant, the user being outside its current share. */
  RAMP_HELD("flagroute.ramp.held", Kind.COUNTER, "flag");

  /**
   * The latency buckets of {@link #REQUESTS}: 5 ms to 10 s, so that Prometheus can compute
   * quantiles ({@code histogram_quantile}) across replicas.
   */
  public static final List<Duration> LATENCY_BUCKETS = List.of(Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10));

  /** What kind of meter a metric is. */
  public enum Kind {
    /** A monotonic count. */
    COUNTER,
    /** A count and total of durations, with latency buckets. */
    TIMER,
    /** A value that goes up and down. */
    GAUGE
  }

  private final String meterName;
  private final Kind kind;
  private final List<String> tags;

  Metric(String meterName, Kind kind, String... tags) {
    this.meterName = meterName;
    this.kind = kind;
    this.tags = List.of(tags);
  }

  /** The Micrometer meter name, e.g. {@code flagroute.requests}. */
  public String meterName() {
    return meterName;
  }

  /** The kind of meter. */
  public Kind kind() {
    return kind;
  }

  /** The tag keys every series of this metric carries. */
  public List<String> tags() {
    return tags;
  }

  /**
   * The metric family name in Micrometer's Prometheus registry: dots become underscores,
   * counters end in {@code _total}, timers in {@code _seconds} (their series add {@code _count},
   * {@code _sum}, {@code _bucket}), gauges keep the name, e.g. {@code flagroute_decisions_total},
   * {@code flagroute_requests_seconds}, {@code flagroute_guard_state}.
   */
  public String prometheusName() {
    String base = meterName.replace('.', '_');
    return switch (kind) {
      case COUNTER -> base + "_total";
      case TIMER -> base + "_seconds";
      case GAUGE -> base;
    };
  }

  /** The value of {@link #GUARD_STATE}: 0 closed, 1 open, 2 half-open, 3 forced off. */
  public static int code(GuardState state) {
    return switch (state) {
      case CLOSED -> 0;
      case OPEN -> 1;
      case HALF_OPEN -> 2;
      case FORCED_OFF -> 3;
    };
  }

  /** The value of {@link #VERDICT_STATE}: 0 not enough data, 1 no difference, 2 worse, 3 better. */
  public static int code(VerdictState state) {
    return switch (state) {
      case NOT_ENOUGH_DATA -> 0;
      case NO_DIFFERENCE -> 1;
      case WORSE -> 2;
      case BETTER -> 3;
    };
  }

  /** The value of {@link #RAMP_STATE}: 0 pending, 1 ramping, 2 complete, 3 rolled back. */
  public static int code(RampState state) {
    return switch (state) {
      case PENDING -> 0;
      case RAMPING -> 1;
      case COMPLETE -> 2;
      case ROLLED_BACK -> 3;
    };
  }

  /** A tag value for an enum constant, as every flagroute meter writes it: lower case. */
  public static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
