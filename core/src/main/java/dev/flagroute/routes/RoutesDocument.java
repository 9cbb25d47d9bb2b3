package dev.flagroute.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates a routes document that a YAML or JSON parser has already read into maps, lists and
 * scalars, for {@link FlagRoutesFile}: the rules and messages of every routes file.
 */
final class RoutesDocument {
  private static final List<String> FIELDS = List.of("flag", "service", "default", "variants");
  private static final List<String> VARIANT_FIELDS = List.of("version", "mirror", "percent", "ramp");
  private static final int FULL_MIRROR = 100;

  private RoutesDocument() {}

  /**
   * The routes of {@code document}, a map with a top-level {@code routes} list.
   *
   * @param source names the document in error messages, e.g. a file name
   * @throws InvalidRoutesException naming the source, each bad flag and its problem
   */
  static FlagRoutes read(Object document, String source) {
    if (!(document instanceof Map<?, ?> top) || !(top.get("routes") instanceof List<?> entries)) {
      throw new InvalidRoutesException(source, List.of("expected a top-level 'routes:' list"));
    }
    List<String> problems = new ArrayList<>();
    for (Object field : top.keySet()) {
      if (!"routes".equals(field)) {
        problems.add("unknown top-level field '" + field + "' (expected only 'routes')");
      }
    }
    List<FlagRoute> routes = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        problems.add("routes[" + i + "]: expected a mapping with flag, service, default and variants");
        continue;
      }
      String key = text(entry.get("flag"));
      String label = key == null ? "routes[" + i + "]" : "flag '" + key + "'";
      for (Object field : entry.keySet()) {
        if (!FIELDS.contains(String.valueOf(field))) {
          problems.add(label + ": unknown field '" + field + "' (expected flag, service, default, variants)");
        }
      }
      FlagRoute.Builder builder = FlagRoute.builder(key)
          .service(text(entry.get("service")))
          .defaultVariant(text(entry.get("default")));
      if (entry.get("variants") instanceof Map<?, ?> variants) {
        variants.forEach((variant, value) -> variant(builder, text(variant), value, label, problems));
      } else if (entry.get("variants") != null) {
        problems.add(label + ": 'variants' must map each variant to its version label, e.g. {v1: v1, v2: v2}");
        continue;
      }
      List<String> routeProblems = builder.problems(label);
      if (routeProblems.isEmpty()) {
        routes.add(builder.build());
      } else {
        problems.addAll(routeProblems);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRoutesException(source, problems);
    }
    return FlagRoutes.of(source, routes);
  }

  /** Adds a variant written as its version label, or as {@code {version, mirror, percent, ramp}}. */
  private static void variant(FlagRoute.Builder builder, String variant, Object value, String label,
      List<String> problems) {
    if (!(value instanceof Map<?, ?> fields)) {
      builder.variant(variant, text(value));
      return;
    }
    String where = label + ": variant '" + variant + "'";
    for (Object field : fields.keySet()) {
      if (!VARIANT_FIELDS.contains(String.valueOf(field))) {
        problems.add(where + ": unknown field '" + field + "' (expected version, mirror, percent, ramp)");
      }
    }
    builder.variant(variant, text(fields.get("version")));
    if (fields.get("ramp") != null) {
      Ramp ramp = RampFields.read(fields.get("ramp"), where, problems);
      if (ramp != null) {
        builder.ramp(variant, ramp);
      }
    }
    String percent = text(fields.get("percent"));
    if (fields.get("mirror") == null) {
      if (percent != null) {
        problems.add(where + ": 'percent' needs a 'mirror' version");
      }
    } else if (percent == null || percent.matches("[0-9]{1,3}")) {
      builder.mirror(variant, text(fields.get("mirror")), percent == null ? FULL_MIRROR : Integer.parseInt(percent));
    } else {
      problems.add(where + ": 'percent' must be a whole number from 1 to 100, found '" + percent + "'");
    }
  }

  private static String text(Object scalar) {
    return scalar == null || scalar instanceof Map || scalar instanceof List ? null : String.valueOf(scalar);
  }
}
