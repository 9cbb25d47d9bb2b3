package dev.flagroute.spring.autoconfigure;

import dev.flagroute.config.InvalidSettingException;
import dev.flagroute.config.RoutingSettings;
import dev.flagroute.config.Setting;
import dev.flagroute.config.SettingSource;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.routes.InvalidRoutesException;
import dev.flagroute.spring.autoconfigure.FlagRouteProperties.Route;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.core.io.Resource;

/**
 * Turns {@link FlagRouteProperties} into core objects: the router's settings go through core's
 * {@link RoutingSettings}, named as {@code flagroute.*} properties; routes are read here. Every
 * problem fails start-up with an exception naming the property, which Boot's failure analysis
 * reports in one message.
 */
final class RouterSettings {
  /** Shown instead of a secret. */
  static final String MASKED = "******";
  private static final int MAX_ROUTES_FILE_BYTES = 1 << 20;

  private RouterSettings() {}

  /** The router's settings from {@code properties}. */
  static RoutingSettings settings(FlagRouteProperties properties) {
    checkTargetingKey(properties.targetingKey());
    Map<Setting, String> values = values(properties);
    try {
      return RoutingSettings.read(SettingSource.of(values, setting -> "flagroute." + setting.key()));
    } catch (InvalidSettingException e) {
      throw invalid(e, values);
    }
  }

  /** A router builder over the configured routes with {@code settings} applied. */
  static FlagRouter.Builder router(RoutingSettings settings, FlagRouteProperties properties) {
    FlagRoutes routes = routes(properties);
    try {
      return settings.routerBuilder(routes);
    } catch (InvalidSettingException e) {
      throw invalid(e, values(properties));
    }
  }

  private static InvalidConfigurationPropertyValueException invalid(InvalidSettingException e,
      Map<Setting, String> values) {
    Object value = e.setting().isSecret() ? MASKED : values.get(e.setting());
    return new InvalidConfigurationPropertyValueException(e.settingName(), value, e.problem());
  }

  private static Map<Setting, String> values(FlagRouteProperties properties) {
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
    put(values, Setting.DEADLINE, properties.deadline());
    put(values, Setting.EVALUATE_MISSING, properties.evaluateMissing());
    FlagRouteProperties.Overrides override = properties.override();
    put(values, Setting.OVERRIDE_SECRET, override.secret());
    put(values, Setting.OVERRIDE_HEADER, override.header());
    put(values, Setting.OVERRIDE_MAX_TTL, override.maxTtl());
    put(values, Setting.SERVICE_NAME, properties.service().name());
    put(values, Setting.SERVICE_VERSION, properties.service().version());
    FlagRouteProperties.Guard guard = properties.guard();
    put(values, Setting.GUARD_FLAGS, String.join(",", guard.flags()));
    put(values, Setting.GUARD_FAILURE_RATIO, guard.failureRatio());
    put(values, Setting.GUARD_MIN_REQUESTS, guard.minRequests());
    put(values, Setting.GUARD_MARGIN, guard.margin());
    put(values, Setting.GUARD_WINDOW, guard.window());
    put(values, Setting.GUARD_COOL_DOWN, guard.coolDown());
    put(values, Setting.GUARD_PROBE_SHARE, guard.probeShare());
    put(values, Setting.GUARD_PROBE_REQUESTS, guard.probeRequests());
    return values;
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

  static FlagRoutes routes(FlagRouteProperties properties) {
    if (!properties.routes().isEmpty() && properties.routesFile() != null) {
      throw new MutuallyExclusiveConfigurationPropertiesException(
          List.of("flagroute.routes", "flagroute.routes-file"), List.of("flagroute.routes", "flagroute.routes-file"));
    }
    return properties.routesFile() != null ? load(properties.routesFile()) : inline(properties.routes());
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
        throw new InvalidConfigurationPropertyValueException("flagroute.routes[" + i + "]", definition.flag(),
            String.join("; ", e.problems()));
      }
    }
    try {
      return FlagRoutes.of(routes);
    } catch (InvalidRoutesException e) {
      throw new InvalidConfigurationPropertyValueException("flagroute.routes", null, String.join("; ", e.problems()));
    }
  }

  private static FlagRoutes load(Resource file) {
    String description = file.getDescription();
    if (!file.exists()) {
      throw new InvalidConfigurationPropertyValueException("flagroute.routes-file", description, "the file does not exist");
    }
    String text;
    try (InputStream in = file.getInputStream()) {
      byte[] bytes = in.readNBytes(MAX_ROUTES_FILE_BYTES + 1);
      if (bytes.length > MAX_ROUTES_FILE_BYTES) {
        throw new InvalidConfigurationPropertyValueException("flagroute.routes-file", description,
            "the file is larger than 1 MiB");
      }
      text = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidConfigurationPropertyValueException("flagroute.routes-file", description,
          "the file cannot be read: " + e.getMessage());
    }
    try {
      return FlagRoutesFile.parse(text, description);
    } catch (InvalidRoutesException e) {
      throw new InvalidConfigurationPropertyValueException("flagroute.routes-file", description,
          String.join("; ", e.problems()));
    }
  }

  private static boolean named(FlagRouteProperties.TargetingKey key) {
    return key.source() == FlagRouteProperties.TargetingKeySource.HEADER
        || key.source() == FlagRouteProperties.TargetingKeySource.COOKIE;
  }

  static void checkTargetingKey(FlagRouteProperties.TargetingKey key) {
    if (named(key) && (key.name() == null || key.name().isBlank())) {
      throw new InvalidConfigurationPropertyValueException("flagroute.targeting-key.name", key.name(),
          "the '" + key.source().name().toLowerCase(Locale.ROOT)
              + "' targeting-key source needs the header or cookie name");
    }
  }
}
