package dev.flagroute.config;

/**
 * The settings of a flagroute service that every way of configuring it shares: servlet init
 * parameters, Spring properties and command-line flags map onto these, and
 * {@link RoutingSettings} parses and validates them in one place. Each has a canonical key, the
 * part after {@code flagroute.} in Spring properties.
 */
public enum Setting {
  /** {@code edge} (decide flags) or {@code relay} (carry them). */
  MODE("mode"),
  /** {@code per-flag} (default), {@code combined} or {@code baggage}. */
  CODEC("header.codec"),
  /** The per-flag codec's header prefix, {@code x-flag-} by default. */
  HEADER_PREFIX("header.prefix"),
  /** The combined codec's header name, {@code x-flags} by default. */
  HEADER_NAME("header.name"),
  /** The baggage codec's member prefix, {@code flag.} by default. */
  MEMBER_PREFIX("header.member-prefix"),
  /** The most flags read from one request. */
  MAX_FLAGS("limits.max-flags"),
  /** The longest variant value read, in characters. */
  MAX_VALUE_LENGTH("limits.max-value-length"),
  /** The longest flag header read, in characters. */
  MAX_HEADER_LENGTH("limits.max-header-length"),
  /** Where the targeting key comes from: {@code header:NAME}, {@code cookie:NAME}, {@code principal}, {@code class:FQCN} or {@code none}. */
  TARGETING_KEY("targeting-key"),
  /** Evaluation attributes read from headers, {@code attribute=header} pairs; they are cache-key attributes too. */
  ATTRIBUTE_HEADERS("attribute-headers"),
  /** Whether edge decisions are cached ({@code true} by default). */
  CACHE_ENABLED("cache.enabled"),
  /** The most cached decisions. */
  CACHE_SIZE("cache.size"),
  /** How long a decision is cached. */
  CACHE_TTL("cache.ttl"),
  /** Further evaluation attributes the routing flags' targeting reads, comma-separated. */
  CACHE_KEY_ATTRIBUTES("cache.key-attributes"),
  /** Evaluation attributes declared irrelevant to routing, left out of the cache key; comma-separated. */
  CACHE_IGNORED_ATTRIBUTES("cache.ignored-attributes"),
  /** The longest wait for the flag provider; unbounded when unset. */
  DEADLINE("deadline"),
  /** In relay mode, whether flags no header carries are evaluated ({@code false} by default). */
  EVALUATE_MISSING("evaluate-missing"),
  /**
   * Whether the router reports flag headers it will not use, found by a look at every inbound header
   * name ({@code false} by default): see {@code FlagRouter.Builder.reportForeignHeaders}.
   */
  REPORT_FOREIGN_HEADERS("report-foreign-headers"),
  /** The override token secret itself; never shown. */
  OVERRIDE_SECRET("override.secret"),
  /** A file holding the override token secret. */
  OVERRIDE_SECRET_FILE("override.secret-file"),
  /** The header carrying override tokens, {@code x-flagroute-override} by default. */
  OVERRIDE_HEADER("override.header"),
  /** The longest lifetime an override token is accepted with, a day by default. */
  OVERRIDE_MAX_TTL("override.max-ttl"),
  /** This edge's audience for override tokens, a service name; tokens bound to another are rejected. */
  OVERRIDE_AUDIENCE("override.audience"),
  /**
   * With an audience set, whether tokens bound to no audience are accepted too; {@code false} by
   * default, so that an audience forces binding.
   */
  OVERRIDE_ACCEPT_UNBOUND("override.accept-unbound"),
  /** The header marking a shadow (a mirrored copy), {@code x-flagroute-shadow} by default; relays honour it. */
  SHADOW_HEADER("shadow.header"),
  /** This service's mesh name, for misroute detection. */
  SERVICE_NAME("service.name"),
  /** This instance's version label, for misroute detection. */
  SERVICE_VERSION("service.version"),
  /** Edge: the flags the rollout guard watches, comma-separated; the guard is off when unset. */
  GUARD_FLAGS("guard.flags"),
  /** The share of users with a server-side failure a variant must exceed to trip the guard, such as {@code 0.5}. */
  GUARD_FAILURE_RATIO("guard.failure-ratio"),
  /** The fewest distinct users with an outcome in the window before a variant can trip. */
  GUARD_MIN_REQUESTS("guard.min-requests"),
  /** How much worse than the default variant's failure ratio a variant must be, such as {@code 0.1}. */
  GUARD_MARGIN("guard.margin"),
  /** The sliding window users are counted over, such as {@code 30s}. */
  GUARD_WINDOW("guard.window"),
  /** How long the default is served before a tripped variant is probed, such as {@code 30s}. */
  GUARD_COOL_DOWN("guard.cool-down"),
  /** The share of a tripped variant's users let through while probing, such as {@code 0.1}. */
  GUARD_PROBE_SHARE("guard.probe-share"),
  /** The fewest distinct probing users whose outcomes close the guard. */
  GUARD_PROBE_REQUESTS("guard.probe-requests");

  private final String key;

  Setting(String key) {
    this.key = key;
  }

  /** The canonical key, such as {@code header.codec}. */
  public String key() {
    return key;
  }

  /** Whether the value is a secret, which is never shown or echoed in errors. */
  public boolean isSecret() {
    return this == OVERRIDE_SECRET;
  }
}
