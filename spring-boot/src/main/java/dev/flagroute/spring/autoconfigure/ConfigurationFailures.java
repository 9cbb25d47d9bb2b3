package dev.flagroute.spring.autoconfigure;

import dev.flagroute.config.InvalidSettingException;
import dev.flagroute.spring.diagnostics.FlagRouteConfigurationException;
import java.util.List;
import java.util.Locale;

/**
 * The start-up failures the starter raises, each naming the property, saying what is wrong and
 * what to do. A secret's value never reaches any of them: settings errors come from core's
 * configuration model, which never echoes one, and nothing here reads a property's value.
 */
final class ConfigurationFailures {
  private static final String ROUTES_FORMAT = "A routes file is a top-level 'routes:' list whose entries have"
      + " 'flag', 'service', 'default' and 'variants' (variant: version label), as in the 'Flag routes' section"
      + " of docs/concepts.md.";

  private ConfigurationFailures() {}

  /** A setting core's configuration model rejected. */
  static FlagRouteConfigurationException invalid(InvalidSettingException e) {
    String action = change(e.settingName());
    if (e.setting().isSecret()) {
      action += " The value is not shown because it is a secret.";
    }
    return new FlagRouteConfigurationException(e.settingName(), "Property '" + e.settingName() + "': " + e.problem()
        + ".", action);
  }

  /** A property the starter itself rejected: {@code problem} says what is wrong with it. */
  static FlagRouteConfigurationException invalid(String property, String problem) {
    return new FlagRouteConfigurationException(property, "Property '" + property + "': " + problem + ".",
        change(property));
  }

  static FlagRouteConfigurationException routesTwice(int inline, String file) {
    return new FlagRouteConfigurationException("flagroute.routes",
        "flagroute's routes are configured in two places: " + inline + " inline under 'flagroute.routes' and the file "
            + file + " named by 'flagroute.routes-file'. The router takes its routes from exactly one of them.",
        "Keep one: remove 'flagroute.routes' (every 'flagroute.routes[n]' entry) to use the file, or remove"
            + " 'flagroute.routes-file' to use the inline routes.");
  }

  static FlagRouteConfigurationException noRoutes() {
    return new FlagRouteConfigurationException("flagroute.routes-file",
        "flagroute has no routes: neither 'flagroute.routes-file' nor 'flagroute.routes' is set, so there is no flag"
            + " to route by.",
        "Set 'flagroute.routes-file' to a routes file, such as classpath:flagroutes.yaml, or define routes inline with"
            + " 'flagroute.routes[0].flag', '.service', '.default-variant' and '.variants.<variant>=<version>'; or set"
            + " 'flagroute.enabled=false' to turn flagroute off. " + ROUTES_FORMAT);
  }

  static FlagRouteConfigurationException routesFile(String file, String problem) {
    return new FlagRouteConfigurationException("flagroute.routes-file",
        "The routes file " + file + " named by 'flagroute.routes-file' " + problem + ".",
        "Point 'flagroute.routes-file' at a readable file of at most 1 MiB, such as classpath:flagroutes.yaml or"
            + " file:/etc/flagroute/routes.yaml.");
  }

  static FlagRouteConfigurationException routesFileSyntax(String file, String parserMessage) {
    return new FlagRouteConfigurationException("flagroute.routes-file",
        "The routes file " + file + " named by 'flagroute.routes-file' is not valid YAML or JSON: "
            + parserMessage.strip(),
        "Fix the file where the parser stopped (line and column above). " + ROUTES_FORMAT);
  }

  static FlagRouteConfigurationException invalidRoutes(String property, String where, List<String> problems) {
    return new FlagRouteConfigurationException(property,
        "The routes in " + where + " are invalid: " + String.join("; ", problems) + ".",
        "Fix each route named above. Flag keys are 1-63 letters, digits, '-' or '.'; variants 1-63 letters, digits,"
            + " '-', '_' or '.'; versions lowercase DNS labels; services lowercase DNS names; the default is one of the"
            + " variants. " + ROUTES_FORMAT);
  }

  static FlagRouteConfigurationException servletAdapterMissing() {
    return new FlagRouteConfigurationException("flagroute.servlet.enabled",
        "This is a servlet (Spring MVC) application and 'flagroute.servlet.enabled' is true, but flagroute-servlet is"
            + " not on the class path, so no inbound request would be routed.",
        "Add the dependency dev.flagroute:flagroute-servlet (same version as the starter), or set"
            + " 'flagroute.servlet.enabled=false' if this application routes no inbound requests.");
  }

  /** What to do about a bad value of {@code property}. */
  private static String change(String property) {
    String action = "Change '" + property + "' in the application's configuration (application.properties or"
        + " application.yaml";
    if (property.matches("[a-z0-9.-]+")) {
      action += ", or the environment variable " + property.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "");
    }
    return action + ") and start again.";
  }
}
