package dev.flagroute.config;

import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.internal.WireNames;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.verdict.VerdictPolicy;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The settings of a flagroute service that every way of configuring it shares: servlet init
 * parameters, Spring properties and command-line flags map onto these, and
 * {@link RoutingSettings} parses and validates them in one place. Each has a canonical key, the
 * part after {@code flagroute.} in Spring properties, and a {@linkplain #defaultValue() default}
 * taken from the typed constant it mirrors (such as {@code FlagRouter.DEFAULT_CACHE_TTL}), so that
 * every default is stated once.
 */
public enum Setting {
  /** {@code edge} (decide flags) or {@code relay} (carry them). */
  MODE("mode", null),
  /** {@code per-flag}, {@code combined} or {@code baggage}. */
  CODEC("header.codec", "per-flag"),
  /** The per-flag codec's header prefix. */
  HEADER_PREFIX("header.prefix", WireNames.PER_FLAG_PREFIX),
  /** The combined codec's header name. */
  HEADER_NAME("header.name", WireNames.COMBINED_HEADER),
  /** The baggage codec's member prefix. */
  MEMBER_PREFIX("header.member-prefix", WireNames.MEMBER_PREFIX),
  /** The most flags read from one request. */
  MAX_FLAGS("limits.max-flags", text(HeaderLimits.DEFAULT.maxFlags())),
  /** The longest variant value read, in characters. */
  MAX_VALUE_LENGTH("limits.max-value-length", text(HeaderLimits.DEFAULT.maxValueLength())),
  /** The longest flag header read, in characters. */
  MAX_HEADER_LENGTH("limits.max-header-length", text(HeaderLimits.DEFAULT.maxHeaderLength())),
  /** Where the targeting key comes from: {@code header:NAME}, {@code cookie:NAME}, {@code principal}, {@code class:FQCN} or {@code none}. */
  TARGETING_KEY("targeting-key", TargetingKey.NONE.toString()),
  /** Evaluation attributes read from headers, {@code attribute=header} pairs; they are cache-key attributes too. */
  ATTRIBUTE_HEADERS("attribute-headers", null),
  /** Whether edge decisions are cached. */
  CACHE_ENABLED("cache.enabled", "true"),
  /** The most cached decisions. */
  CACHE_SIZE("cache.size", text(FlagRouter.DEFAULT_CACHE_SIZE)),
  /** How long a decision is cached. */
  CACHE_TTL("cache.ttl", text(FlagRouter.DEFAULT_CACHE_TTL)),
  /** Further evaluation attributes the routing flags' targeting reads, comma-separated. */
  CACHE_KEY_ATTRIBUTES("cache.key-attributes", null),
  /** Evaluation attributes declared irrelevant to routing, left out of the cache key; comma-separated. */
  CACHE_IGNORED_ATTRIBUTES("cache.ignored-attributes", null),
  /** The longest wait for the flag provider; unbounded when unset. */
  DEADLINE("deadline", null),
  /** In relay mode, whether flags no header carries are evaluated. */
  EVALUATE_MISSING("evaluate-missing", "false"),
  /**
   * Whether the router reports flag headers it will not use, found by a look at every inbound header
   * name: see {@code FlagRouter.Builder.reportForeignHeaders}.
   */
  REPORT_FOREIGN_HEADERS("report-foreign-headers", "false"),
  /** The override token secret itself; never shown. */
  OVERRIDE_SECRET("override.secret", null),
  /** A file holding the override token secret. */
  OVERRIDE_SECRET_FILE("override.secret-file", null),
  /** The header carrying override tokens. */
  OVERRIDE_HEADER("override.header", FlagRouter.DEFAULT_OVERRIDE_HEADER),
  /** The longest lifetime an override token is accepted with. */
  OVERRIDE_MAX_TTL("override.max-ttl", text(OverrideTokens.DEFAULT_MAX_TTL)),
  /** This edge's audience for override tokens, a service name; tokens bound to another are rejected. */
  OVERRIDE_AUDIENCE("override.audience", null),
  /**
   * With an audience set, whether tokens bound to no audience are accepted too; off by default, so
   * that an audience forces binding.
   */
  OVERRIDE_ACCEPT_UNBOUND("override.accept-unbound", "false"),
  /** The header marking a shadow (a mirrored copy); relays honour it. */
  SHADOW_HEADER("shadow.header", FlagRouter.DEFAULT_SHADOW_HEADER),
  /** This service's mesh name, for misroute detection. */
  SERVICE_NAME("service.name", null),
  /** This instance's version label, for misroute detection. */
  SERVICE_VERSION("service.version", null),
  /** Edge: the flags the rollout guard watches, comma-separated; the guard is off when unset. */
  GUARD_FLAGS("guard.flags", null),
  /** The share of users with a server-side failure a variant must exceed to trip the guard, such as {@code 0.5}. */
  GUARD_FAILURE_RATIO("guard.failure-ratio", text(GuardPolicy.DEFAULT_FAILURE_RATIO)),
  /** The fewest distinct users with an outcome in the window before a variant can trip. */
  GUARD_MIN_REQUESTS("guard.min-requests", text(GuardPolicy.DEFAULT_MIN_REQUESTS)),
  /** How much worse than the default variant's failure ratio a variant must be, such as {@code 0.1}. */
  GUARD_MARGIN("guard.margin", text(GuardPolicy.DEFAULT_MARGIN)),
  /** The sliding window users are counted over, such as {@code 30s}. */
  GUARD_WINDOW("guard.window", text(GuardPolicy.DEFAULT_WINDOW)),
  /** How long the default is served before a tripped variant is probed, such as {@code 30s}. */
  GUARD_COOL_DOWN("guard.cool-down", text(GuardPolicy.DEFAULT_COOL_DOWN)),
  /** The share of a tripped variant's users let through while probing, such as {@code 0.1}. */
  GUARD_PROBE_SHARE("guard.probe-share", text(GuardPolicy.DEFAULT_PROBE_SHARE)),
  /** The fewest distinct probing users whose outcomes close the guard. */
  GUARD_PROBE_REQUESTS("guard.probe-requests", text(GuardPolicy.DEFAULT_PROBE_REQUESTS)),
  /**
   * Edge: the flags whose variants are judged against their default, comma-separated; flags whose
   * routes declare a ramp are judged too, with the same policy.
   */
  VERDICT_FLAGS("verdicts.flags", null),
  /** The bound on each measure's false verdicts, such as {@code 0.05}. */
  VERDICT_ALPHA("verdicts.alpha", text(VerdictPolicy.DEFAULT_ALPHA)),
  /** The fewest requests on each side before a verdict says anything. */
  VERDICT_MIN_REQUESTS("verdicts.min-requests", text(VerdictPolicy.DEFAULT_MIN_REQUESTS)),
  /** The difference of error ratios the test finds fastest, such as {@code 0.01}. */
  VERDICT_ERROR_DIFFERENCE("verdicts.error-difference", text(VerdictPolicy.DEFAULT_ERROR_DIFFERENCE)),
  /** The difference of slow-request shares the test finds fastest, such as {@code 0.05}. */
  VERDICT_SLOW_SHARE_DIFFERENCE("verdicts.slow-share-difference",
      text(VerdictPolicy.DEFAULT_SLOW_SHARE_DIFFERENCE)),
  /** The quantile of the default variant's latency above which a request is slow, such as {@code 0.95}. */
  VERDICT_SLOW_QUANTILE("verdicts.slow-quantile", text(VerdictPolicy.DEFAULT_SLOW_QUANTILE)),
  /** The default variant's first requests whose latency quantile becomes the slow threshold. */
  VERDICT_CALIBRATION_REQUESTS("verdicts.calibration-requests", text(VerdictPolicy.DEFAULT_CALIBRATION_REQUESTS)),
  /** Whether requests decided for a WORSE variant get the default variant instead. */
  VERDICT_HOLD_BACK_WORSE("verdicts.hold-back-worse", "false");

  private final String key;
  private final String defaultValue;

  Setting(String key, String defaultValue) {
    this.key = key;
    this.defaultValue = defaultValue;
  }

  /** The canonical key, such as {@code header.codec}. */
  public String key() {
    return key;
  }

  /**
   * What an unset setting means, written as a user would write it ({@code 1m}, {@code 10000},
   * {@code x-flag-}); empty when unset means nothing (no mode, no secret, no deadline, an empty
   * list), as each setting's description says.
   */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** Whether the value is a secret, which is never shown or echoed in errors. */
  public boolean isSecret() {
    return this == OVERRIDE_SECRET;
  }

  private static String text(Number number) {
    return String.valueOf(number);
  }

  /** {@code duration} in the largest whole unit a setting takes: {@code 1d}, {@code 30s}, {@code 250ms}. */
  private static String text(Duration duration) {
    long millis = duration.toMillis();
    for (ChronoUnit unit : List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS)) {
      long unitMillis = unit.getDuration().toMillis();
      if (millis % unitMillis == 0) {
        return millis / unitMillis + switch (unit) {
          case DAYS -> "d";
          case HOURS -> "h";
          case MINUTES -> "m";
          default -> "s";
        };
      }
    }
    return millis + "ms";
  }
}
