package dev.flagroute.servlet;

import dev.flagroute.config.RoutingSettings;
import dev.flagroute.config.Setting;
import dev.flagroute.config.SettingSource;
import dev.flagroute.config.TargetingKey;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutesFileWatcher;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.openfeature.sdk.OpenFeatureAPI;
import jakarta.servlet.ServletException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a filter from {@code web.xml} / {@code FilterConfig} init parameters, with clear errors.
 * The router's settings are core's {@link RoutingSettings}, each under its init-param name; the
 * routes file and the filter's own options are read here.
 */
final class InitParameters {
  /** The init-param name of each core setting; the override secret itself is only read from a file. */
  private static final Map<Setting, String> SETTINGS = settingNames();
  private static final List<String> FILTER_NAMES = List.of("routes", "openfeature-domain", "transaction-context",
      "debug-header", "mdc-key", "routes-watch");
  static final List<String> NAMES = names();
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

  private final UnaryOperator<String> parameters;

  private InitParameters(UnaryOperator<String> parameters) {
    this.parameters = parameters;
  }

  /** A configured filter builder and the counters its router reports to. */
  record Configured(FlagRoutingFilter.Builder builder, RoutingCounters counters, RoutesFileWatcher watcher) {}

  private static Map<Setting, String> settingNames() {
    Map<Setting, String> names = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String key = setting.key();
      names.put(setting, (key.startsWith("limits.") ? key.substring("limits.".length()) : key).replace('.', '-'));
    }
    names.put(Setting.CODEC, "codec");
    names.put(Setting.MEMBER_PREFIX, "baggage-prefix");
    names.remove(Setting.OVERRIDE_SECRET);
    return Collections.unmodifiableMap(names);
  }

  private static List<String> names() {
    List<String> names = new ArrayList<>(FILTER_NAMES);
    names.addAll(SETTINGS.values());
    return List.copyOf(names);
  }

  /**
   * Reads the parameters.
   *
   * @throws ServletException naming the filter and every problem found first
   */
  static Configured configure(String filterName, UnaryOperator<String> parameters, Enumeration<String> names)
      throws ServletException {
    try {
      return new InitParameters(parameters).configure(names == null ? List.of() : Collections.list(names));
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      throw new ServletException("flagroute filter '" + filterName + "': " + e.getMessage(), e);
    }
  }

  private Configured configure(List<String> names) {
    List<String> unknown = names.stream().filter(name -> !NAMES.contains(name)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown init-param " + unknown + "; known: " + NAMES);
    }
    RoutingSettings settings = RoutingSettings.read(new SettingSource() {
      @Override
      public String value(Setting setting) {
        String name = SETTINGS.get(setting);
        return name == null ? null : parameters.apply(name);
      }

      @Override
      public String name(Setting setting) {
        return "init-param '" + SETTINGS.getOrDefault(setting, setting.key()) + "'";
      }
    });
    RoutingCounters counters = new RoutingCounters();
    FlagRouter.Builder router = settings.routerBuilder(routes()).listener(counters);
    String domain = optional("openfeature-domain");
    if (settings.mode() == RoutingMode.EDGE) {
      router.client(domain == null ? OpenFeatureAPI.getInstance().getClient()
          : OpenFeatureAPI.getInstance().getClient(domain));
    } else if (domain != null) {
      throw new IllegalArgumentException("init-param 'openfeature-domain' is for mode edge; relay mode never evaluates");
    }
    FlagRouter built = router.build();
    Duration watch = duration("routes-watch");
    built.warmUp();
    FlagRoutingFilter.Builder filter = FlagRoutingFilter.builder(built)
        .targetingKey(targetingKey(settings.targetingKey()));
    settings.attributeHeaders().forEach(filter::attributeFromHeader);
    filter.transactionContext(bool("transaction-context", true));
    String debugHeader = optional("debug-header");
    if (debugHeader != null) {
      filter.debugHeader(debugHeader);
    }
    String mdcKey = parameters.apply("mdc-key");
    if (mdcKey != null) {
      filter.mdcKey(mdcKey.isBlank() ? null : mdcKey.strip());
    }
    return new Configured(filter, counters, watch == null ? null
        : RoutesFileWatcher.start(built, Path.of(optional("routes")), watch));
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

  private static TargetingKeySource targetingKey(TargetingKey key) {
    return switch (key.source()) {
      case NONE -> TargetingKeySource.none();
      case HEADER -> TargetingKeySource.header(key.name());
      case COOKIE -> TargetingKeySource.cookie(key.name());
      case PRINCIPAL -> TargetingKeySource.principal();
      case CLASS -> instantiate(key.name());
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

  /** A duration such as {@code 5s}, {@code 500ms} or {@code 1m}, or {@code null} when absent. */
  private Duration duration(String name) {
    String value = optional(name);
    if (value == null) {
      return null;
    }
    Matcher parts = DURATION.matcher(value);
    if (!parts.matches() || Long.parseLong(parts.group(1)) == 0) {
      throw new IllegalArgumentException("init-param '" + name + "' must be a positive duration such as 5s, 500ms"
          + " or 1m, was '" + value + "'");
    }
    long amount = Long.parseLong(parts.group(1));
    return switch (parts.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> Duration.ofMinutes(amount);
    };
  }

  /** The stripped value, or {@code null} when absent or blank. */
  private String optional(String name) {
    String value = parameters.apply(name);
    return value == null || value.isBlank() ? null : value.strip();
  }
}
