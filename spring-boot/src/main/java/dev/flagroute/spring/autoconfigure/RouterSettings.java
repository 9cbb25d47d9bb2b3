package dev.flagroute.spring.autoconfigure;

import dev.flagroute.config.InvalidSettingException;
import dev.flagroute.config.RoutingSettings;
import dev.flagroute.config.Setting;
import dev.flagroute.config.SettingSource;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.InvalidRoutesException;
import dev.flagroute.spring.autoconfigure.FlagRouteProperties.Route;
import dev.flagroute.spring.diagnostics.FlagRouteConfigurationException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns {@link FlagRouteProperties} into core objects: the router's settings go through core's
 * {@link RoutingSettings}, named as {@code flagroute.*} properties; routes are read here. Every
 * problem fails start-up with a {@link FlagRouteConfigurationException} naming the property, which
 * the starter's failure analyzer reports in one paragraph, never with a secret's value.
 */
final class RouterSettings {
  private RouterSettings() {}

  /** The router's settings from {@code properties}. */
  static RoutingSettings settings(FlagRouteProperties properties) {
    checkTargetingKey(properties.targetingKey());
    try {
      return RoutingSettings.read(SettingSource.of(values(properties), setting -> "flagroute." + setting.key()));
    } catch (InvalidSettingException e) {
      throw ConfigurationFailures.invalid(e);
    }
  }

  /** A router builder over the configured routes with {@code settings} applied. */
  static FlagRouter.Builder router(RoutingSettings settings, FlagRouteProperties properties) {
    FlagRoutes routes = routes(properties);
    try {
      return settings.routerBuilder(routes);
    } catch (InvalidSettingException e) {
      throw ConfigurationFailures.invalid(e);
    }
  }

  /** The value of each core setting {@code properties} set, as core reads it. */
  static Map<Setting, String> values(FlagRouteProperties properties) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    put(values, Setting.MODE, properties.mode());
    FlagRouteProperties.Header header = properties.header();
    put(values, Setting.CODEC, header.codec());
    put(values, Setting.HEADER_PREFIX, header.prefix());
    put(values, Setting.HEADER_NAME, header.name());
    put(values, Setting.MEMBER_PREFIX, header.memberPrefix());
    put(values, Setting.MAX_FLAGS, properties.limits().maxFlags());
    put(values, Setting.MAX_VALUE_LENGTH, properties.limits().maxValueLength());
    put(values, Setting.MAX_HEADER_LENGTH, properties.limits().maxHeaderLength());
    FlagRouteProperties.TargetingKey key = properties.targetingKey();
    put(values, Setting.TARGETING_KEY, named(key) ? text(key.source()) + ":" + key.name() : key.source());
    FlagRouteProperties.Cache cache = properties.cache();
    put(values, Setting.CACHE_ENABLED, cache.enabled());
    put(values, Setting.CACHE_SIZE, cache.size());
    put(values, Setting.CACHE_TTL, cache.ttl());
    put(values, Setting.CACHE_KEY_ATTRIBUTES, String.join(",", cache.keyAttributes()));
    put(values, Setting.CACHE_IGNORED_ATTRIBUTES, String.join(",", cache.ignoredAttributes()));
    put(values, Setting.ATTRIBUTE_HEADERS, pairs(properties.attributeHeaders()));
    put(values, Setting.DEADLINE, properties.deadline());
    put(values, Setting.EVALUATE_MISSING, properties.evaluateMissing());
    put(values, Setting.REPORT_FOREIGN_HEADERS, properties.reportForeignHeaders());
    FlagRouteProperties.Overrides override = properties.override();
    put(values, Setting.OVERRIDE_SECRET, override.secret());
    put(values, Setting.OVERRIDE_SECRET_FILE, override.secretFile());
    put(values, Setting.OVERRIDE_HEADER, override.header());
    put(values, Setting.OVERRIDE_MAX_TTL, override.maxTtl());
    put(values, Setting.OVERRIDE_AUDIENCE, override.audience());
    put(values, Setting.OVERRIDE_ACCEPT_UNBOUND, override.acceptUnbound());
    put(values, Setting.SHADOW_HEADER, properties.shadow().header());
    put(values, Setting.SERVICE_NAME, properties.service().name());
    put(values, Setting.SERVICE_VERSION, properties.service().version());
    FlagRouteProperties.Guard guard = properties.guard();
    if (!guard.flags().isEmpty()) {
      put(values, Setting.GUARD_FLAGS, String.join(",", guard.flags()));
      put(values, Setting.GUARD_FAILURE_RATIO, guard.failureRatio());
      put(values, Setting.GUARD_MIN_REQUESTS, guard.minRequests());
      put(values, Setting.GUARD_MARGIN, guard.margin());
      put(values, Setting.GUARD_WINDOW, guard.window());
      put(values, Setting.GUARD_COOL_DOWN, guard.coolDown());
      put(values, Setting.GUARD_PROBE_SHARE, guard.probeShare());
      put(values, Setting.GUARD_PROBE_REQUESTS, guard.probeRequests());
    }
    verdicts(values, properties.verdicts());
    return values;
  }

  /**
   * The verdict settings: all of them when flags are listed; otherwise those set to other than
   * their defaults, which core applies to ramped flags and rejects when no flag is judged.
   */
  private static void verdicts(Map<Setting, String> values, FlagRouteProperties.Verdicts verdicts) {
    Map<Setting, Object> policy = new EnumMap<>(Setting.class);
    policy.put(Setting.VERDICT_ALPHA, verdicts.alpha());
    policy.put(Setting.VERDICT_MIN_REQUESTS, verdicts.minRequests());
    policy.put(Setting.VERDICT_ERROR_DIFFERENCE, verdicts.errorDifference());
    policy.put(Setting.VERDICT_SLOW_SHARE_DIFFERENCE, verdicts.slowShareDifference());
    policy.put(Setting.VERDICT_SLOW_QUANTILE, verdicts.slowQuantile());
    policy.put(Setting.VERDICT_CALIBRATION_REQUESTS, verdicts.calibrationRequests());
    policy.put(Setting.VERDICT_HOLD_BACK_WORSE, verdicts.holdBackWorse());
    boolean listed = !verdicts.flags().isEmpty();
    if (listed) {
      put(values, Setting.VERDICT_FLAGS, String.join(",", verdicts.flags()));
    }
    policy.forEach((setting, value) -> {
      if (listed || !setting.defaultValue().orElseThrow().equals(text(value))) {
        put(values, setting, value);
      }
    });
  }

  /** {@code attribute=header} pairs as core reads them, or null when there are none. */
  private static String pairs(Map<String, String> attributeHeaders) {
    List<String> pairs = new ArrayList<>();
    attributeHeaders.forEach((attribute, header) -> pairs.add(attribute + "=" + header));
    return pairs.isEmpty() ? null : String.join(",", pairs);
  }

  private static void put(Map<Setting, String> values, Setting setting, Object value) {
    if (value != null) {
      values.put(setting, text(value));
    }
  }

  /** A property value as core reads it: enums in kebab case, everything else as written. */
  private static String text(Object value) {
    return value instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT).replace('_', '-') : String.valueOf(value);
  }

  /** The routes, from exactly one of {@code flagroute.routes-file} and {@code flagroute.routes}. */
  static FlagRoutes routes(FlagRouteProperties properties) {
    boolean inline = !properties.routes().isEmpty();
    if (inline && properties.routesFile() != null) {
      throw ConfigurationFailures.routesTwice(properties.routes().size(), properties.routesFile().getDescription());
    }
    if (!inline && properties.routesFile() == null) {
      throw ConfigurationFailures.noRoutes();
    }
    return inline ? inline(properties.routes()) : RoutesFileLoader.load(properties.routesFile());
  }

  private static FlagRoutes inline(List<Route> definitions) {
    List<FlagRoute> routes = new ArrayList<>();
    for (int i = 0; i < definitions.size(); i++) {
      Route definition = definitions.get(i);
      FlagRoute.Builder builder = FlagRoute.builder(definition.flag()).service(definition.service())
          .defaultVariant(definition.defaultVariant());
      Map<String, String> variants = definition.variants() == null ? Map.of() : definition.variants();
      variants.forEach(builder::variant);
      try {
        routes.add(builder.build());
      } catch (InvalidRoutesException e) {
        throw ConfigurationFailures.invalidRoutes("flagroute.routes[" + i + "]", "'flagroute.routes[" + i + "]'",
            e.problems());
      }
    }
    try {
      return FlagRoutes.of(routes);
    } catch (InvalidRoutesException e) {
      throw ConfigurationFailures.invalidRoutes("flagroute.routes", "'flagroute.routes'", e.problems());
    }
  }

  private static boolean named(FlagRouteProperties.TargetingKey key) {
    return key.source() == FlagRouteProperties.TargetingKeySource.HEADER
        || key.source() == FlagRouteProperties.TargetingKeySource.COOKIE;
  }

  static void checkTargetingKey(FlagRouteProperties.TargetingKey key) {
    if (named(key) && (key.name() == null || key.name().isBlank())) {
      throw ConfigurationFailures.invalid("flagroute.targeting-key.name", "is needed by the '"
          + key.source().name().toLowerCase(Locale.ROOT) + "' targeting-key source: the header or cookie name");
    }
  }
}
