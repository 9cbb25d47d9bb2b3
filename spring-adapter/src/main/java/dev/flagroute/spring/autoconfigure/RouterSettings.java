package dev.flagroute.spring.autoconfigure;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.routes.InvalidRoutesException;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.spring.autoconfigure.FlagRouteProperties.Codec;
import dev.flagroute.spring.autoconfigure.FlagRouteProperties.Header;
import dev.flagroute.spring.autoconfigure.FlagRouteProperties.Route;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.core.io.Resource;

/**
 * Turns {@link FlagRouteProperties} into core objects. Every problem fails start-up with an
 * exception naming the property, which Boot's failure analysis reports in one message.
 */
final class RouterSettings {
  /** Shown instead of a secret. */
  static final String MASKED = "******";
  private static final int MAX_ROUTES_FILE_BYTES = 1 << 20;

  private RouterSettings() {}

  /** Applies the cache, deadline, overrides, relay evaluation and service identity to {@code builder}. */
  static void decisions(FlagRouteProperties properties, FlagRouter.Builder builder, RoutingMode mode, HeaderCodec codec) {
    FlagRouteProperties.Cache cache = properties.cache();
    if (!cache.enabled()) {
      builder.noCache();
    } else {
      positive("flagroute.cache.size", cache.size());
      positive("flagroute.cache.ttl", cache.ttl());
      builder.cache(cache.size(), cache.ttl()).cacheKeyAttributes(cache.keyAttributes().toArray(String[]::new));
    }
    if (properties.deadline() != null) {
      positive("flagroute.deadline", properties.deadline());
      builder.deadline(properties.deadline());
    }
    builder.evaluateMissing(properties.evaluateMissing());
    overrides(properties.override(), builder, mode, codec);
    service(properties.service(), builder);
  }

  private static void overrides(FlagRouteProperties.Overrides override, FlagRouter.Builder builder, RoutingMode mode,
      HeaderCodec codec) {
    String header = override.header().toLowerCase(Locale.ROOT);
    if (codec.owns(header)) {
      throw new InvalidConfigurationPropertyValueException("flagroute.override.header", header,
          "it is a flag header of " + codec + "; choose a name outside it");
    }
    try {
      builder.overrideHeader(header);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("flagroute.override.header", header, e.getMessage());
    }
    if (override.secret() == null || override.secret().isBlank()) {
      return;
    }
    if (mode != RoutingMode.EDGE) {
      throw new InvalidConfigurationPropertyValueException("flagroute.override.secret", MASKED,
          "override tokens are read at the edge only; remove the secret or set flagroute.mode=edge");
    }
    positive("flagroute.override.max-ttl", override.maxTtl());
    try {
      builder.overrides(OverrideTokens.builder(override.secret()).maxTtl(override.maxTtl()).build());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("flagroute.override.secret", MASKED, e.getMessage());
    }
  }

  private static void service(FlagRouteProperties.Service service, FlagRouter.Builder builder) {
    if (service.name() == null && service.version() == null) {
      return;
    }
    if (service.name() == null || service.version() == null) {
      String missing = service.name() == null ? "flagroute.service.name" : "flagroute.service.version";
      throw new InvalidConfigurationPropertyValueException(missing, null,
          "flagroute.service.name and flagroute.service.version are set together, to detect misrouted requests");
    }
    if (!RouteNames.SERVICE.matcher(service.name()).matches()) {
      throw new InvalidConfigurationPropertyValueException("flagroute.service.name", service.name(),
          "must be a lowercase DNS name such as 'reviews', as in the routes' services");
    }
    if (!RouteNames.VERSION.matcher(service.version()).matches()) {
      throw new InvalidConfigurationPropertyValueException("flagroute.service.version", service.version(),
          "must be a lowercase DNS label such as 'v1', as in the routes' version labels");
    }
    builder.service(service.name(), service.version());
  }

  static RoutingMode mode(FlagRouteProperties properties) {
    if (properties.mode() == null) {
      throw new InvalidConfigurationPropertyValueException("flagroute.mode", null,
          "flagroute.mode is required: 'edge' where outside traffic arrives (flags are evaluated there),"
              + " 'relay' in mesh-internal services (stamped flags are carried).");
    }
    return properties.mode() == FlagRouteProperties.Mode.EDGE ? RoutingMode.EDGE : RoutingMode.RELAY;
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

  static HeaderCodec codec(Header header) {
    Codec codec = header.codec();
    rejectUnless(codec == Codec.PER_FLAG, "flagroute.header.prefix", header.prefix(), "per-flag");
    rejectUnless(codec == Codec.COMBINED, "flagroute.header.name", header.name(), "combined");
    rejectUnless(codec == Codec.BAGGAGE, "flagroute.header.member-prefix", header.memberPrefix(), "baggage");
    try {
      return switch (codec) {
        case PER_FLAG -> header.prefix() == null ? HeaderCodec.perFlag() : HeaderCodec.perFlag(header.prefix());
        case COMBINED -> header.name() == null ? HeaderCodec.combined() : HeaderCodec.combined(header.name());
        case BAGGAGE -> header.memberPrefix() == null ? HeaderCodec.baggage() : HeaderCodec.baggage(header.memberPrefix());
      };
    } catch (IllegalArgumentException e) {
      String property = switch (codec) {
        case PER_FLAG -> "flagroute.header.prefix";
        case COMBINED -> "flagroute.header.name";
        case BAGGAGE -> "flagroute.header.member-prefix";
      };
      throw new InvalidConfigurationPropertyValueException(property, null, e.getMessage());
    }
  }

  private static void rejectUnless(boolean applies, String property, String value, String codec) {
    if (!applies && value != null) {
      throw new InvalidConfigurationPropertyValueException(property, value,
          property + " applies to the " + codec + " codec only; set flagroute.header.codec=" + codec + " or remove it.");
    }
  }

  static HeaderLimits limits(FlagRouteProperties.Limits limits) {
    positive("flagroute.limits.max-flags", limits.maxFlags());
    positive("flagroute.limits.max-value-length", limits.maxValueLength());
    positive("flagroute.limits.max-header-length", limits.maxHeaderLength());
    return new HeaderLimits(limits.maxFlags(), limits.maxValueLength(), limits.maxHeaderLength());
  }

  private static void positive(String property, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new InvalidConfigurationPropertyValueException(property, value, "must be positive");
    }
  }

  private static void positive(String property, long value) {
    if (value < 1) {
      throw new InvalidConfigurationPropertyValueException(property, value, "must be at least 1");
    }
  }

  static void checkTargetingKey(FlagRouteProperties.TargetingKey key) {
    boolean named = key.source() == FlagRouteProperties.TargetingKeySource.HEADER
        || key.source() == FlagRouteProperties.TargetingKeySource.COOKIE;
    if (named && (key.name() == null || key.name().isBlank())) {
      throw new InvalidConfigurationPropertyValueException("flagroute.targeting-key.name", key.name(),
          "the '" + key.source().name().toLowerCase(Locale.ROOT)
              + "' targeting-key source needs the header or cookie name");
    }
  }
}
