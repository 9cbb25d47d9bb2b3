package dev.flagroute.servlet;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.openfeature.sdk.OpenFeatureAPI;
import jakarta.servlet.ServletException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** Builds a filter from {@code web.xml} / {@code FilterConfig} init parameters, with clear errors. */
final class InitParameters {
  static final List<String> NAMES = List.of("routes", "mode", "openfeature-domain", "codec", "header-prefix",
      "header-name", "baggage-prefix", "targeting-key", "attribute-headers", "transaction-context", "debug-header",
      "mdc-key");

  private final String filterName;
  private final UnaryOperator<String> parameters;

  private InitParameters(String filterName, UnaryOperator<String> parameters) {
    this.filterName = filterName;
    this.parameters = parameters;
  }

  /** A configured filter builder and the counters its router reports to. */
  record Configured(FlagRoutingFilter.Builder builder, RoutingCounters counters) {}

  /**
   * Reads the parameters.
   *
   * @throws ServletException naming the filter and every problem found first
   */
  static Configured configure(String filterName, UnaryOperator<String> parameters, Enumeration<String> names)
      throws ServletException {
    InitParameters init = new InitParameters(filterName, parameters);
    try {
      return init.configure(names == null ? List.of() : Collections.list(names));
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      throw new ServletException("flagroute filter '" + filterName + "': " + e.getMessage(), e);
    }
  }

  private Configured configure(List<String> names) {
    List<String> unknown = names.stream().filter(name -> !NAMES.contains(name)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown init-param " + unknown + "; known: " + NAMES);
    }
    RoutingMode mode = mode();
    RoutingCounters counters = new RoutingCounters();
    FlagRouter.Builder router = FlagRouter.builder(routes()).mode(mode).codec(codec()).listener(counters);
    String domain = optional("openfeature-domain");
    if (mode == RoutingMode.EDGE) {
      router.client(domain == null ? OpenFeatureAPI.getInstance().getClient()
          : OpenFeatureAPI.getInstance().getClient(domain));
    } else if (domain != null) {
      throw new IllegalArgumentException("init-param 'openfeature-domain' is for mode edge; relay mode never evaluates");
    }
    FlagRoutingFilter.Builder filter = FlagRoutingFilter.builder(router.build()).targetingKey(targetingKey());
    String attributeHeaders = optional("attribute-headers");
    if (attributeHeaders != null) {
      for (String pair : attributeHeaders.split(",")) {
        String[] parts = pair.split("=", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
          throw new IllegalArgumentException("init-param 'attribute-headers' must list attribute=header pairs such as"
              + " 'tenant=x-tenant-id, plan=x-plan', was '" + attributeHeaders + "'");
        }
        filter.attributeFromHeader(parts[0].strip(), parts[1].strip());
      }
    }
    filter.transactionContext(bool("transaction-context", true));
    String debugHeader = optional("debug-header");
    if (debugHeader != null) {
      filter.debugHeader(debugHeader);
    }
    String mdcKey = parameters.apply("mdc-key");
    if (mdcKey != null) {
      filter.mdcKey(mdcKey.isBlank() ? null : mdcKey.strip());
    }
    return new Configured(filter, counters);
  }

  private FlagRoutes routes() {
    String file = optional("routes");
    if (file == null) {
      throw new IllegalArgumentException("init-param 'routes' (path of the YAML or JSON routes file) is required");
    }
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("init-param 'routes' is not a valid path: " + file, e);
    }
    try {
      return FlagRoutesFile.load(path);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException("init-param 'routes' needs org.snakeyaml:snakeyaml-engine on the class path", e);
    }
  }

  private RoutingMode mode() {
    String mode = optional("mode");
    if (mode == null) {
      throw new IllegalArgumentException("init-param 'mode' is required: edge (decide flags) or relay (carry them)");
    }
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "edge" -> RoutingMode.EDGE;
      case "relay" -> RoutingMode.RELAY;
      default -> throw new IllegalArgumentException("init-param 'mode' must be edge or relay, was '" + mode + "'");
    };
  }

  private HeaderCodec codec() {
    String codec = optional("codec");
    String prefix = optional("header-prefix");
    String headerName = optional("header-name");
    String baggagePrefix = optional("baggage-prefix");
    String kind = codec == null ? "per-flag" : codec.toLowerCase(Locale.ROOT);
    String misplaced = switch (kind) {
      case "per-flag" -> headerName != null ? "header-name" : baggagePrefix != null ? "baggage-prefix" : null;
      case "combined" -> prefix != null ? "header-prefix" : baggagePrefix != null ? "baggage-prefix" : null;
      case "baggage" -> prefix != null ? "header-prefix" : headerName != null ? "header-name" : null;
      default -> throw new IllegalArgumentException(
          "init-param 'codec' must be per-flag, combined or baggage, was '" + codec + "'");
    };
    if (misplaced != null) {
      throw new IllegalArgumentException("init-param '" + misplaced + "' does not apply to codec " + kind);
    }
    return switch (kind) {
      case "combined" -> headerName == null ? HeaderCodec.combined() : HeaderCodec.combined(headerName);
      case "baggage" -> baggagePrefix == null ? HeaderCodec.baggage() : HeaderCodec.baggage(baggagePrefix);
      default -> prefix == null ? HeaderCodec.perFlag() : HeaderCodec.perFlag(prefix);
    };
  }

  private TargetingKeySource targetingKey() {
    String source = optional("targeting-key");
    if (source == null || source.equals("none")) {
      return TargetingKeySource.none();
    }
    if (source.equals("principal")) {
      return TargetingKeySource.principal();
    }
    int colon = source.indexOf(':');
    String kind = colon < 0 ? source : source.substring(0, colon);
    String argument = colon < 0 ? "" : source.substring(colon + 1).strip();
    if (argument.isEmpty() && List.of("header", "cookie", "class").contains(kind)) {
      throw new IllegalArgumentException("init-param 'targeting-key' " + kind + ": needs a name, e.g. '" + kind
          + ":" + (kind.equals("class") ? "com.example.UserKeys" : "uid") + "'");
    }
    return switch (kind) {
      case "header" -> TargetingKeySource.header(argument);
      case "cookie" -> TargetingKeySource.cookie(argument);
      case "class" -> instantiate(argument);
      default -> throw new IllegalArgumentException("init-param 'targeting-key' must be header:<name>, cookie:<name>,"
          + " principal, class:<name> or none, was '" + source + "'");
    };
  }

  private static TargetingKeySource instantiate(String className) {
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> type = Class.forName(className, true, loader != null ? loader : InitParameters.class.getClassLoader());
      if (!TargetingKeySource.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException("init-param 'targeting-key' class " + className + " does not implement "
            + TargetingKeySource.class.getName());
      }
      return (TargetingKeySource) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException("init-param 'targeting-key' class " + className
          + " cannot be created with a public no-argument constructor: " + e, e);
    }
  }

  private boolean bool(String name, boolean defaultValue) {
    String value = optional(name);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("init-param '" + name + "' must be true or false, was '" + value + "'");
    };
  }

  /** The stripped value, or {@code null} when absent or blank. */
  private String optional(String name) {
    String value = parameters.apply(name);
    return value == null || value.isBlank() ? null : value.strip();
  }
}
