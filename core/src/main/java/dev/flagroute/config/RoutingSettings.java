package dev.flagroute.config;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.EvaluationContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one configuration model of a flagroute service: every {@link Setting} read from a
 * {@link SettingSource}, parsed and validated once, with errors that name the setting as the user
 * wrote it ({@link InvalidSettingException}). Servlet init parameters, Spring properties and the
 * command line all map onto it. Unset settings take the documented defaults. Immutable.
 *
 * <pre>{@code
 * RoutingSettings settings = RoutingSettings.read(SettingSource.of(values, s -> "flagroute." + s.key()));
 * FlagRouter router = settings.routerBuilder(routes).client(client).build();
 * }</pre>
 */
public final class RoutingSettings {
  /** Shown instead of a secret that is set. */
  public static final String SECRET_SET = "(set)";
  /** Shown for a secret that is not set. */
  public static final String NOT_SET = "not set";

  private static final int MAX_SECRET_FILE_BYTES = 4096;
  private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private final SettingSource source;
  private final RoutingMode mode;
  private final HeaderCodec codec;
  private final HeaderLimits limits;
  private final TargetingKey targetingKey;
  private final Map<String, String> attributeHeaders;
  private final boolean cacheEnabled;
  private final long cacheSize;
  private final Duration cacheTtl;
  private final List<String> cacheKeyAttributes;
  private final List<String> cacheIgnoredAttributes;
  private final Duration deadline;
  private final boolean evaluateMissing;
  private final boolean reportForeignHeaders;
  private final OverrideTokens overrides;
  private final String overrideHeader;
  private final String shadowHeader;
  private final String serviceName;
  private final String serviceVersion;
  private final List<String> guardFlags;
  private final GuardPolicy guardPolicy;

  private RoutingSettings(SettingSource source) {
    this.source = source;
    this.mode = readMode();
    this.codec = readCodec();
    this.limits = readLimits();
    this.targetingKey = parse(Setting.TARGETING_KEY, TargetingKey.NONE, TargetingKey::parse);
    this.attributeHeaders = readAttributeHeaders();
    this.cacheEnabled = bool(Setting.CACHE_ENABLED, true);
    this.cacheSize = positive(Setting.CACHE_SIZE, FlagRouter.DEFAULT_CACHE_SIZE);
    this.cacheTtl = duration(Setting.CACHE_TTL, FlagRouter.DEFAULT_CACHE_TTL);
    this.cacheKeyAttributes = list(Setting.CACHE_KEY_ATTRIBUTES);
    this.cacheIgnoredAttributes = readIgnoredAttributes();
    this.deadline = duration(Setting.DEADLINE, null);
    this.evaluateMissing = bool(Setting.EVALUATE_MISSING, false);
    this.reportForeignHeaders = bool(Setting.REPORT_FOREIGN_HEADERS, false);
    this.overrideHeader = readOverrideHeader();
    this.shadowHeader = readShadowHeader();
    this.overrides = readOverrides();
    this.serviceName = parse(Setting.SERVICE_NAME, null, value -> matching(value, RouteNames.SERVICE,
        "a lowercase DNS name such as 'reviews', as in the routes' services"));
    this.serviceVersion = parse(Setting.SERVICE_VERSION, null, value -> matching(value, RouteNames.VERSION,
        "a lowercase DNS label such as 'v1', as in the routes' version labels"));
    if ((serviceName == null) != (serviceVersion == null)) {
      Setting missing = serviceName == null ? Setting.SERVICE_NAME : Setting.SERVICE_VERSION;
      throw fail(missing, "is needed together with " + source.name(other(missing))
          + ": the service's mesh name and this workload's version label, e.g. reviews and v1");
    }
    this.guardFlags = list(Setting.GUARD_FLAGS);
    this.guardPolicy = readGuardPolicy();
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
   * deadline, relay evaluation, overrides and service identity. The caller adds the OpenFeature
   * client (needed at the edge) and listeners.
   *
   * @throws InvalidSettingException if the mode is not set
   */
  public FlagRouter.Builder routerBuilder(FlagRoutes routes) {
    if (mode == null) {
      throw fail(Setting.MODE, "is required: edge where outside traffic arrives (flags are evaluated there),"
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
        throw fail(Setting.GUARD_FLAGS, e.getMessage());
      }
    }
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

  /**
   * What each setting is in effect, by canonical key, defaults included: the form to show in an
   * actuator or a log. The override secret shows only whether it is set.
   */
  public Map<String, String> effective() {
    Map<String, String> view = new LinkedHashMap<>();
    view.put(Setting.MODE.key(), mode == null ? NOT_SET : mode.name().toLowerCase(Locale.ROOT));
    view.put(Setting.CODEC.key(), codec.toString());
    view.put("limits", limits.maxFlags() + " flags, " + limits.maxValueLength() + " chars per value, "
        + limits.maxHeaderLength() + " chars per header");
    view.put(Setting.TARGETING_KEY.key(), targetingKey.toString());
    view.put(Setting.ATTRIBUTE_HEADERS.key(), attributeHeaders.toString());
    view.put("cache", cacheEnabled ? cacheSize + " entries for " + cacheTtl + ", keyed on the targeting key and "
        + (cacheKeyAttributes.isEmpty() && attributeHeaders.isEmpty() ? "every attribute"
            : new LinkedHashSet<>(concat(attributeHeaders.keySet(), cacheKeyAttributes)) + " and every other attribute")
        + (cacheIgnoredAttributes.isEmpty() ? "" : " but " + cacheIgnoredAttributes) : "off");
    view.put(Setting.DEADLINE.key(), deadline == null ? "none" : deadline.toString());
    view.put(Setting.EVALUATE_MISSING.key(), Boolean.toString(evaluateMissing));
    view.put(Setting.REPORT_FOREIGN_HEADERS.key(), Boolean.toString(reportForeignHeaders));
    view.put(Setting.OVERRIDE_SECRET.key(), overrides == null ? NOT_SET : SECRET_SET);
    view.put(Setting.OVERRIDE_HEADER.key(), overrideHeader);
    view.put(Setting.SHADOW_HEADER.key(), shadowHeader);
    String audience = text(Setting.OVERRIDE_AUDIENCE);
    view.put(Setting.OVERRIDE_AUDIENCE.key(), audience == null ? NOT_SET : audience);
    view.put(Setting.OVERRIDE_ACCEPT_UNBOUND.key(), Boolean.toString(bool(Setting.OVERRIDE_ACCEPT_UNBOUND, false)));
    view.put("service", serviceName == null ? NOT_SET : serviceName + " " + serviceVersion);
    view.put("guard", guardPolicy == null ? "off" : String.join(", ", guardFlags) + ": trips a variant with more than "
        + guardPolicy.failureRatio() + " of at least " + guardPolicy.minRequests() + " users failing (at least "
        + guardPolicy.minFailingUsers() + ") over " + guardPolicy.window() + " and " + guardPolicy.margin()
        + " more than the default; cool-down " + guardPolicy.coolDown() + ", then probes " + guardPolicy.probeShare()
        + " of its users, " + guardPolicy.probeRequests() + " to decide");
    return Collections.unmodifiableMap(view);
  }

  private static final List<Setting> GUARD_POLICY = List.of(Setting.GUARD_FAILURE_RATIO, Setting.GUARD_MIN_REQUESTS,
      Setting.GUARD_MARGIN, Setting.GUARD_WINDOW, Setting.GUARD_COOL_DOWN, Setting.GUARD_PROBE_SHARE,
      Setting.GUARD_PROBE_REQUESTS);

  private GuardPolicy readGuardPolicy() {
    if (guardFlags.isEmpty()) {
      for (Setting setting : GUARD_POLICY) {
        if (text(setting) != null) {
          throw fail(setting, "applies only to guarded flags; list them in " + source.name(Setting.GUARD_FLAGS)
              + " or remove it");
        }
      }
      return null;
    }
    if (mode == RoutingMode.RELAY) {
      throw fail(Setting.GUARD_FLAGS, "the rollout guard decides at the edge only; remove it or set "
          + source.name(Setting.MODE) + " to edge");
    }
    return GuardPolicy.builder()
        .failureRatio(ratio(Setting.GUARD_FAILURE_RATIO, GuardPolicy.DEFAULT_FAILURE_RATIO, false, false))
        .minRequests(count(Setting.GUARD_MIN_REQUESTS, GuardPolicy.DEFAULT_MIN_REQUESTS))
        .margin(ratio(Setting.GUARD_MARGIN, GuardPolicy.DEFAULT_MARGIN, true, false))
        .window(millis(Setting.GUARD_WINDOW, GuardPolicy.DEFAULT_WINDOW))
        .coolDown(millis(Setting.GUARD_COOL_DOWN, GuardPolicy.DEFAULT_COOL_DOWN))
        .probeShare(ratio(Setting.GUARD_PROBE_SHARE, GuardPolicy.DEFAULT_PROBE_SHARE, false, true))
        .probeRequests(count(Setting.GUARD_PROBE_REQUESTS, GuardPolicy.DEFAULT_PROBE_REQUESTS))
        .build();
  }

  /** A number between 0 and 1, such as {@code 0.5}, each bound allowed or not. */
  private double ratio(Setting setting, double fallback, boolean zero, boolean one) {
    String range = (zero ? "at least 0" : "above 0") + (one ? " and at most 1" : " and below 1");
    return parse(setting, fallback, value -> {
      double number;
      try {
        number = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        number = Double.NaN;
      }
      if (!((zero ? number >= 0 : number > 0) && (one ? number <= 1 : number < 1))) {
        throw new IllegalArgumentException("must be a number " + range + " such as 0.5, was '" + value + "'");
      }
      return number;
    });
  }

  /** A duration of at least a millisecond. */
  private Duration millis(Setting setting, Duration fallback) {
    Duration duration = duration(setting, fallback);
    if (duration.toMillis() < 1) {
      throw fail(setting, "must be at least 1ms, was '" + text(setting) + "'");
    }
    return duration;
  }

  private int count(Setting setting, int fallback) {
    return (int) Math.min(positive(setting, fallback), Integer.MAX_VALUE);
  }

  private RoutingMode readMode() {
    return parse(Setting.MODE, null, value -> switch (value.toLowerCase(Locale.ROOT)) {
      case "edge" -> RoutingMode.EDGE;
      case "relay" -> RoutingMode.RELAY;
      default -> throw new IllegalArgumentException("must be edge or relay, was '" + value + "'");
    });
  }

  private HeaderCodec readCodec() {
    String kind = text(Setting.CODEC) == null ? "per-flag" : text(Setting.CODEC).toLowerCase(Locale.ROOT);
    Map<String, Setting> own = Map.of("per-flag", Setting.HEADER_PREFIX, "combined", Setting.HEADER_NAME,
        "baggage", Setting.MEMBER_PREFIX);
    if (!own.containsKey(kind)) {
      throw fail(Setting.CODEC, "must be per-flag, combined or baggage, was '" + text(Setting.CODEC) + "'");
    }
    for (Map.Entry<String, Setting> entry : own.entrySet()) {
      if (!entry.getKey().equals(kind) && text(entry.getValue()) != null) {
        throw fail(entry.getValue(), "applies to the " + entry.getKey() + " codec only; set "
            + source.name(Setting.CODEC) + " to " + entry.getKey() + " or remove it");
      }
    }
    Setting name = own.get(kind);
    String value = text(name);
    try {
      return switch (kind) {
        case "combined" -> value == null ? HeaderCodec.combined() : HeaderCodec.combined(value);
        case "baggage" -> value == null ? HeaderCodec.baggage() : HeaderCodec.baggage(value);
        default -> value == null ? HeaderCodec.perFlag() : HeaderCodec.perFlag(value);
      };
    } catch (IllegalArgumentException e) {
      throw fail(name, e.getMessage());
    }
  }

  private HeaderLimits readLimits() {
    HeaderLimits defaults = HeaderLimits.DEFAULT;
    return new HeaderLimits((int) Math.min(positive(Setting.MAX_FLAGS, defaults.maxFlags()), Integer.MAX_VALUE),
        (int) Math.min(positive(Setting.MAX_VALUE_LENGTH, defaults.maxValueLength()), Integer.MAX_VALUE),
        (int) Math.min(positive(Setting.MAX_HEADER_LENGTH, defaults.maxHeaderLength()), Integer.MAX_VALUE));
  }

  private Map<String, String> readAttributeHeaders() {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String pair : list(Setting.ATTRIBUTE_HEADERS)) {
      String[] parts = pair.split("=", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw fail(Setting.ATTRIBUTE_HEADERS, "must list attribute=header pairs such as"
            + " 'tenant=x-tenant-id, plan=x-plan', was '" + text(Setting.ATTRIBUTE_HEADERS) + "'");
      }
      attributes.put(parts[0].strip(), parts[1].strip());
    }
    return Collections.unmodifiableMap(attributes);
  }

  private List<String> readIgnoredAttributes() {
    List<String> ignored = list(Setting.CACHE_IGNORED_ATTRIBUTES);
    for (String name : ignored) {
      if (name.equals(EvaluationContext.TARGETING_KEY)) {
        throw fail(Setting.CACHE_IGNORED_ATTRIBUTES, "the targeting key is always part of the cache key");
      }
      if (attributeHeaders.containsKey(name) || cacheKeyAttributes.contains(name)) {
        throw fail(Setting.CACHE_IGNORED_ATTRIBUTES, "'" + name + "' is also a cache-key attribute (in "
            + source.name(attributeHeaders.containsKey(name) ? Setting.ATTRIBUTE_HEADERS : Setting.CACHE_KEY_ATTRIBUTES)
            + "); routing either reads it or does not");
      }
    }
    return ignored;
  }

  private String readOverrideHeader() {
    String lower = parse(Setting.OVERRIDE_HEADER, FlagRouter.DEFAULT_OVERRIDE_HEADER, value -> matching(
        value.toLowerCase(Locale.ROOT), RouteNames.HEADER_NAME, "an HTTP header name such as x-flagroute-override"));
    if (codec.owns(lower)) {
      throw fail(Setting.OVERRIDE_HEADER, "'" + lower + "' is a flag header of " + codec + "; choose a name outside it");
    }
    return lower;
  }

  private String readShadowHeader() {
    String lower = parse(Setting.SHADOW_HEADER, FlagRouter.DEFAULT_SHADOW_HEADER, value -> matching(
        value.toLowerCase(Locale.ROOT), RouteNames.HEADER_NAME, "an HTTP header name such as x-flagroute-shadow"));
    if (codec.owns(lower) || lower.equals(overrideHeader)) {
      throw fail(Setting.SHADOW_HEADER, "'" + lower + "' is a flag header of " + codec + " or the override header;"
          + " choose a name outside them");
    }
    return lower;
  }

  private OverrideTokens readOverrides() {
    String secret = text(Setting.OVERRIDE_SECRET);
    String file = text(Setting.OVERRIDE_SECRET_FILE);
    if (secret != null && file != null) {
      throw fail(Setting.OVERRIDE_SECRET_FILE, "cannot be set together with " + source.name(Setting.OVERRIDE_SECRET)
          + "; keep one");
    }
    if (secret == null && file == null) {
      if (text(Setting.OVERRIDE_AUDIENCE) != null) {
        throw fail(Setting.OVERRIDE_AUDIENCE, "has no effect without " + source.name(Setting.OVERRIDE_SECRET)
            + " or " + source.name(Setting.OVERRIDE_SECRET_FILE) + " (override tokens are off); set the secret or"
            + " remove it");
      }
      return null;
    }
    Setting setting = file != null ? Setting.OVERRIDE_SECRET_FILE : Setting.OVERRIDE_SECRET;
    if (mode == RoutingMode.RELAY) {
      throw fail(setting, "override tokens are read at the edge only; remove it or set " + source.name(Setting.MODE)
          + " to edge");
    }
    if (file != null) {
      secret = readSecret(file);
    }
    Duration maxTtl = duration(Setting.OVERRIDE_MAX_TTL, OverrideTokens.DEFAULT_MAX_TTL);
    String audience = parse(Setting.OVERRIDE_AUDIENCE, null, value -> matching(value, RouteNames.SERVICE,
        "a service name, a lowercase DNS name such as 'frontend'"));
    OverrideTokens.Builder tokens;
    try {
      tokens = OverrideTokens.builder(secret).maxTtl(maxTtl);
    } catch (IllegalArgumentException e) {
      throw fail(setting, e.getMessage());
    }
    boolean acceptUnbound = bool(Setting.OVERRIDE_ACCEPT_UNBOUND, false);
    if (acceptUnbound && audience == null) {
      throw fail(Setting.OVERRIDE_ACCEPT_UNBOUND, "has no effect without " + source.name(Setting.OVERRIDE_AUDIENCE)
          + " (an edge without an audience accepts only unbound tokens); set the audience or remove it");
    }
    return (audience == null ? tokens : tokens.audience(audience).acceptUnbound(acceptUnbound)).build();
  }

  private String readSecret(String file) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      byte[] bytes = in.readNBytes(MAX_SECRET_FILE_BYTES + 1);
      if (bytes.length > MAX_SECRET_FILE_BYTES) {
        throw fail(Setting.OVERRIDE_SECRET_FILE, "the file " + file + " is larger than 4 KiB");
      }
      String secret = new String(bytes, StandardCharsets.UTF_8).strip();
      if (secret.isEmpty()) {
        throw fail(Setting.OVERRIDE_SECRET_FILE, "the file " + file + " is empty");
      }
      return secret;
    } catch (IOException | InvalidPathException e) {
      throw fail(Setting.OVERRIDE_SECRET_FILE, "cannot read the file " + file + " (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  /** The stripped value of {@code setting}, or {@code null} when unset or blank. */
  private String text(Setting setting) {
    String value = source.value(setting);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private <T> T parse(Setting setting, T fallback, Function<String, T> parser) {
    String value = text(setting);
    if (value == null) {
      return fallback;
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw fail(setting, e.getMessage());
    }
  }

  private boolean bool(Setting setting, boolean fallback) {
    return parse(setting, fallback, value -> switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false, was '" + value + "'");
    });
  }

  private long positive(Setting setting, long fallback) {
    return parse(setting, fallback, value -> {
      long number;
      try {
        number = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number, was '" + value + "'");
      }
      if (number < 1) {
        throw new IllegalArgumentException("must be at least 1, was " + number);
      }
      return number;
    });
  }

  /** A positive duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT1M}). */
  private Duration duration(Setting setting, Duration fallback) {
    return parse(setting, fallback, value -> {
      Duration duration;
      Matcher matcher = SHORT_DURATION.matcher(value);
      try {
        duration = matcher.matches() ? Duration.of(Long.parseLong(matcher.group(1)), unit(matcher.group(2)))
            : Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("must be a duration such as 250ms, 30s, 5m or PT1M, was '" + value + "'");
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("must be positive, was '" + value + "'");
      }
      return duration;
    });
  }

  private static String matching(String value, Pattern pattern, String what) {
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("must be " + what + ", was '" + value + "'");
    }
    return value;
  }

  private static ChronoUnit unit(String suffix) {
    return switch (suffix) {
      case "ms" -> ChronoUnit.MILLIS;
      case "s" -> ChronoUnit.SECONDS;
      case "m" -> ChronoUnit.MINUTES;
      case "h" -> ChronoUnit.HOURS;
      default -> ChronoUnit.DAYS;
    };
  }

  /** The comma-separated, stripped, non-blank items of {@code setting}. */
  private List<String> list(Setting setting) {
    String value = text(setting);
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
  }

  private static List<String> concat(Set<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static Setting other(Setting serviceSetting) {
    return serviceSetting == Setting.SERVICE_NAME ? Setting.SERVICE_VERSION : Setting.SERVICE_NAME;
  }

  private InvalidSettingException fail(Setting setting, String problem) {
    return new InvalidSettingException(setting, source.name(setting), problem);
  }
}
