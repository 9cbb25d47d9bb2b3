package dev.flagroute.config;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.options.OptionProblem;
import dev.flagroute.internal.options.RouterOption;
import dev.flagroute.internal.options.RouterRules;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.verdict.VerdictPolicy;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one configuration model of a flagroute service: every {@link Setting} read from a
 * {@link SettingSource}, parsed and validated once, with errors that name the setting as the user
 * wrote it ({@link InvalidSettingException}). Servlet init parameters, Spring properties and the
 * command line all map onto it. Unset settings take their defaults ({@link Setting#defaultValue()}).
 * The rules across settings are the router builder's own, checked here as the settings are read.
 * Immutable.
 *
 * <pre>{@code
 * RoutingSettings settings = RoutingSettings.read(SettingSource.of(values, s -> "flagroute." + s.key()));
 * FlagRouter router = settings.routerBuilder(routes).client(client).build();
 * }</pre>
 */
public final class RoutingSettings {
  private static final List<Setting> GUARD_POLICY = List.of(Setting.GUARD_FAILURE_RATIO, Setting.GUARD_MIN_REQUESTS,
      Setting.GUARD_MARGIN, Setting.GUARD_WINDOW, Setting.GUARD_COOL_DOWN, Setting.GUARD_PROBE_SHARE,
      Setting.GUARD_PROBE_REQUESTS);
  private static final List<Setting> VERDICT_POLICY = List.of(Setting.VERDICT_ALPHA, Setting.VERDICT_MIN_REQUESTS,
      Setting.VERDICT_ERROR_DIFFERENCE, Setting.VERDICT_SLOW_SHARE_DIFFERENCE, Setting.VERDICT_SLOW_QUANTILE,
      Setting.VERDICT_CALIBRATION_REQUESTS, Setting.VERDICT_HOLD_BACK_WORSE);

  private final SettingValues values;
  private final SettingParser parser;
  final RoutingMode mode;
  final HeaderCodec codec;
  final HeaderLimits limits;
  final TargetingKey targetingKey;
  final Map<String, String> attributeHeaders;
  final boolean cacheEnabled;
  final long cacheSize;
  final Duration cacheTtl;
  final List<String> cacheKeyAttributes;
  final List<String> cacheIgnoredAttributes;
  final Duration deadline;
  final boolean evaluateMissing;
  final boolean reportForeignHeaders;
  final String overrideHeader;
  final String shadowHeader;
  final OverrideTokens overrides;
  final String overrideAudience;
  final boolean overrideAcceptUnbound;
  final String serviceName;
  final String serviceVersion;
  final List<String> guardFlags;
  final GuardPolicy guardPolicy;
  final List<String> verdictFlags;
  final VerdictPolicy verdictPolicy;

  private RoutingSettings(SettingSource source) {
    this.values = new SettingValues(source);
    this.parser = new SettingParser(values);
    this.mode = parser.mode();
    this.codec = parser.codec();
    this.limits = parser.limits();
    this.targetingKey = parser.targetingKey();
    this.attributeHeaders = parser.attributeHeaders();
    this.cacheEnabled = parser.bool(Setting.CACHE_ENABLED, true);
    this.cacheSize = parser.positive(Setting.CACHE_SIZE, FlagRouter.DEFAULT_CACHE_SIZE);
    this.cacheTtl = parser.duration(Setting.CACHE_TTL, FlagRouter.DEFAULT_CACHE_TTL);
    this.cacheKeyAttributes = values.list(Setting.CACHE_KEY_ATTRIBUTES);
    this.cacheIgnoredAttributes = values.list(Setting.CACHE_IGNORED_ATTRIBUTES);
    this.deadline = parser.duration(Setting.DEADLINE, null);
    this.evaluateMissing = parser.bool(Setting.EVALUATE_MISSING, false);
    this.reportForeignHeaders = parser.bool(Setting.REPORT_FOREIGN_HEADERS, false);
    this.overrideHeader = header(Setting.OVERRIDE_HEADER, RouterOption.OVERRIDE_HEADER,
        FlagRouter.DEFAULT_OVERRIDE_HEADER);
    this.shadowHeader = header(Setting.SHADOW_HEADER, RouterOption.SHADOW_HEADER, FlagRouter.DEFAULT_SHADOW_HEADER);
    check(() -> RouterRules.distinctHeaders(codec, overrideHeader, shadowHeader));
    this.overrideAudience = parser.matching(Setting.OVERRIDE_AUDIENCE, RouteNames.SERVICE,
        "a service name, a lowercase DNS name such as 'frontend'");
    this.overrideAcceptUnbound = parser.bool(Setting.OVERRIDE_ACCEPT_UNBOUND, false);
    this.overrides = readOverrides();
    this.serviceName = parser.matching(Setting.SERVICE_NAME, RouteNames.SERVICE,
        "a lowercase DNS name such as 'reviews', as in the routes' services");
    this.serviceVersion = parser.matching(Setting.SERVICE_VERSION, RouteNames.VERSION,
        "a lowercase DNS label such as 'v1', as in the routes' version labels");
    this.guardFlags = values.list(Setting.GUARD_FLAGS);
    check(() -> RouterRules.edgeOnly(RouterOption.GUARD, !guardFlags.isEmpty(), mode != RoutingMode.RELAY));
    this.guardPolicy = guardFlags.isEmpty() ? null : parser.guardPolicy();
    this.verdictFlags = values.list(Setting.VERDICT_FLAGS);
    check(() -> RouterRules.edgeOnly(RouterOption.VERDICTS, !verdictFlags.isEmpty(), mode != RoutingMode.RELAY));
    this.verdictPolicy = parser.verdictPolicy();
    checkRules();
  }

  /**
   * Reads and validates every setting {@code source} gives.
   *
   * @throws InvalidSettingException naming the first setting that cannot be used
   */
  public static RoutingSettings read(SettingSource source) {
    return new RoutingSettings(source);
  }

  /** Edge or relay, or {@code null} when not set (only routers need it). */
  public RoutingMode mode() {
    return mode;
  }

  /** The header codec. */
  public HeaderCodec codec() {
    return codec;
  }

  /** Bounds on inbound flag headers. */
  public HeaderLimits limits() {
    return limits;
  }

  /** Where inbound requests' targeting keys come from. */
  public TargetingKey targetingKey() {
    return targetingKey;
  }

  /** Evaluation attribute to the header it is read from, in order; these are cache-key attributes too. */
  public Map<String, String> attributeHeaders() {
    return attributeHeaders;
  }

  /**
   * A router builder for {@code routes} with these settings applied: mode, codec, limits, cache,
   * deadline, relay evaluation, overrides, service identity, the rollout guard and verdicts (for
   * the flags listed and, at the edge, every flag whose routes declare a ramp). The caller adds the
   * OpenFeature client (needed at the edge) and listeners.
   *
   * @throws InvalidSettingException if the mode is not set, a guarded or judged flag is not in
   *     {@code routes}, or verdict settings are given for no judged flag
   */
  public FlagRouter.Builder routerBuilder(FlagRoutes routes) {
    if (mode == null) {
      throw values.fail(Setting.MODE, "is required: edge where outside traffic arrives (flags are evaluated there),"
          + " relay in mesh-internal services (stamped flags are carried)");
    }
    FlagRouter.Builder builder = FlagRouter.builder(routes).mode(mode).codec(codec).limits(limits)
        .overrideHeader(overrideHeader).shadowHeader(shadowHeader).evaluateMissing(evaluateMissing)
        .reportForeignHeaders(reportForeignHeaders);
    if (cacheEnabled) {
      Set<String> keyAttributes = new LinkedHashSet<>(attributeHeaders.keySet());
      keyAttributes.addAll(cacheKeyAttributes);
      builder.cache(cacheSize, cacheTtl).cacheKeyAttributes(keyAttributes.toArray(String[]::new))
          .cacheIgnoredAttributes(cacheIgnoredAttributes.toArray(String[]::new));
    } else {
      builder.noCache();
    }
    if (deadline != null) {
      builder.deadline(deadline);
    }
    if (overrides != null) {
      builder.overrides(overrides);
    }
    if (serviceName != null) {
      builder.service(serviceName, serviceVersion);
    }
    for (String flag : guardFlags) {
      try {
        builder.guard(flag, guardPolicy);
      } catch (IllegalArgumentException e) {
        throw values.fail(Setting.GUARD_FLAGS, e.getMessage());
      }
    }
    judge(builder, routes);
    return builder;
  }

  /** The flags the rollout guard watches, as configured; empty when it is off. */
  public List<String> guardFlags() {
    return guardFlags;
  }

  /** The rollout guard's policy, or {@code null} when no flag is guarded. */
  public GuardPolicy guardPolicy() {
    return guardPolicy;
  }

  /** The flags judged by verdicts, as configured (ramped flags are judged too); empty when none is listed. */
  public List<String> verdictFlags() {
    return verdictFlags;
  }

  /** The policy of the judged flags' verdicts, each unset value at its default. */
  public VerdictPolicy verdictPolicy() {
    return verdictPolicy;
  }

  /**
   * Judges the listed flags and, at the edge, every ramped flag of {@code routes} with the verdict
   * policy; a policy setting with no flag to judge is an error, not a silent no-op.
   */
  private void judge(FlagRouter.Builder builder, FlagRoutes routes) {
    Set<String> judged = new LinkedHashSet<>(verdictFlags);
    if (mode == RoutingMode.EDGE) {
      routes.asList().stream().filter(route -> !route.ramps().isEmpty()).map(FlagRoute::key).forEach(judged::add);
    }
    if (judged.isEmpty()) {
      for (Setting setting : VERDICT_POLICY) {
        if (values.text(setting) != null) {
          throw values.fail(setting, "applies only to judged flags at the edge; list them in "
              + values.name(Setting.VERDICT_FLAGS) + ", declare a ramp in the routes, or remove it");
        }
      }
    }
    for (String flag : judged) {
      try {
        builder.verdicts(flag, verdictPolicy);
      } catch (IllegalArgumentException e) {
        throw values.fail(Setting.VERDICT_FLAGS, e.getMessage());
      }
    }
  }

  /**
   * What each setting is in effect, by canonical key, defaults included: the form to show in an
   * actuator or a log. The override secret shows only whether it is set.
   */
  public Map<String, String> effective() {
    return EffectiveSettings.of(this);
  }

  /**
   * The rules across settings, the router builder's own ({@link RouterRules}), each error naming
   * the setting that breaks one as the user wrote it; and the settings that only go together.
   */
  private void checkRules() {
    if ((serviceName == null) != (serviceVersion == null)) {
      Setting missing = serviceName == null ? Setting.SERVICE_NAME : Setting.SERVICE_VERSION;
      Setting other = missing == Setting.SERVICE_NAME ? Setting.SERVICE_VERSION : Setting.SERVICE_NAME;
      throw values.fail(missing, "is needed together with " + values.name(other)
          + ": the service's mesh name and this workload's version label, e.g. reviews and v1");
    }
    if (guardFlags.isEmpty()) {
      for (Setting setting : GUARD_POLICY) {
        if (values.text(setting) != null) {
          throw values.fail(setting, "applies only to guarded flags; list them in "
              + values.name(Setting.GUARD_FLAGS) + " or remove it");
        }
      }
    }
    check(() -> RouterRules.attributeNames(RouterOption.CACHE_KEY_ATTRIBUTES, cacheKeyAttributes));
    check(() -> RouterRules.attributeNames(RouterOption.CACHE_IGNORED_ATTRIBUTES, cacheIgnoredAttributes));
    for (Setting keys : List.of(Setting.ATTRIBUTE_HEADERS, Setting.CACHE_KEY_ATTRIBUTES)) {
      Collection<String> names = keys == Setting.ATTRIBUTE_HEADERS ? attributeHeaders.keySet() : cacheKeyAttributes;
      check(() -> RouterRules.keyNotIgnored(names, cacheIgnoredAttributes, values.name(keys)));
    }
  }

  /** Runs {@code rule}, its {@link OptionProblem} an error naming the setting that breaks it. */
  private void check(Runnable rule) {
    try {
      rule.run();
    } catch (OptionProblem e) {
      throw values.fail(setting(e.option()), e.getMessage() + advice(e.option()));
    }
  }

  private Setting setting(RouterOption option) {
    return switch (option) {
      case OVERRIDE_HEADER -> Setting.OVERRIDE_HEADER;
      case SHADOW_HEADER -> Setting.SHADOW_HEADER;
      case OVERRIDES -> values.text(Setting.OVERRIDE_SECRET_FILE) != null ? Setting.OVERRIDE_SECRET_FILE
          : Setting.OVERRIDE_SECRET;
      case GUARD -> Setting.GUARD_FLAGS;
      case VERDICTS -> Setting.VERDICT_FLAGS;
      case CACHE_KEY_ATTRIBUTES -> Setting.CACHE_KEY_ATTRIBUTES;
      case CACHE_IGNORED_ATTRIBUTES -> Setting.CACHE_IGNORED_ATTRIBUTES;
    };
  }

  private String advice(RouterOption option) {
    return option == RouterOption.OVERRIDES || option == RouterOption.GUARD || option == RouterOption.VERDICTS
        ? "; remove it or set " + values.name(Setting.MODE) + " to edge" : "";
  }

  /** The header {@code setting} names, lowercase, or {@code fallback} when unset. */
  private String header(Setting setting, RouterOption option, String fallback) {
    return parser.parse(setting, fallback, value -> RouterRules.headerName(option, value, fallback));
  }

  /** Override tokens, or {@code null} when no secret is set. */
  private OverrideTokens readOverrides() {
    String secret = values.text(Setting.OVERRIDE_SECRET);
    String file = values.text(Setting.OVERRIDE_SECRET_FILE);
    if (secret != null && file != null) {
      throw values.fail(Setting.OVERRIDE_SECRET_FILE, "cannot be set together with "
          + values.name(Setting.OVERRIDE_SECRET) + "; keep one");
    }
    if (overrideAcceptUnbound && overrideAudience == null) {
      throw values.fail(Setting.OVERRIDE_ACCEPT_UNBOUND, "has no effect without " + values.name(Setting.OVERRIDE_AUDIENCE)
          + " (an edge without an audience accepts only unbound tokens); set the audience or remove it");
    }
    if (secret == null && file == null) {
      if (overrideAudience != null) {
        throw values.fail(Setting.OVERRIDE_AUDIENCE, "has no effect without " + values.name(Setting.OVERRIDE_SECRET)
            + " or " + values.name(Setting.OVERRIDE_SECRET_FILE) + " (override tokens are off); set the secret or"
            + " remove it");
      }
      return null;
    }
    Setting setting = file != null ? Setting.OVERRIDE_SECRET_FILE : Setting.OVERRIDE_SECRET;
    check(() -> RouterRules.edgeOnly(RouterOption.OVERRIDES, true, mode != RoutingMode.RELAY));
    Duration maxTtl = parser.duration(Setting.OVERRIDE_MAX_TTL, OverrideTokens.DEFAULT_MAX_TTL);
    OverrideTokens.Builder tokens;
    try {
      tokens = OverrideTokens.builder(file != null ? parser.secretFile(file) : secret).maxTtl(maxTtl);
    } catch (IllegalArgumentException e) {
      throw values.fail(setting, e.getMessage());
    }
    return (overrideAudience == null ? tokens
        : tokens.audience(overrideAudience).acceptUnbound(overrideAcceptUnbound)).build();
  }
}
