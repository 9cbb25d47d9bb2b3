package dev.flagroute.spring.autoconfigure;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.routes.InvalidRoutesException;
import dev.flagroute.spring.autoconfigure.FlagRouteProperties.Codec;
import dev.flagroute.spring.autoconfigure.FlagRouteProperties.Header;
import dev.flagroute.spring.autoconfigure.FlagRouteProperties.Route;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
  private static final int MAX_ROUTES_FILE_BYTES = 1 << 20;

  private RouterSettings() {}

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

  private static void positive(String property, int value) {
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
