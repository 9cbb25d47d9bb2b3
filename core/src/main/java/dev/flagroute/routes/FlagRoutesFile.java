package dev.flagroute.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Loads {@link FlagRoutes} from a YAML or JSON file (YAML 1.2 is a superset of JSON). Needs
 * {@code org.snakeyaml:snakeyaml-engine} on the class path.
 *
 * <pre>{@code
 * routes:
 *   - flag: checkout          # the OpenFeature flag key
 *     service: reviews        # the mesh service it steers
 *     default: v1             # the stable variant
 *     variants:               # variant: version label of the workloads serving it
 *       v1: v1
 *       v2: v2
 *       dark:                 # a dark launch: served by v1, and a copy of 10% of the
 *         version: v1         # requests goes to v2, whose responses the mesh throws away
 *         mirror: v2
 *         percent: 10         # optional, 1 to 100, default 100
 * }</pre>
 */
public final class FlagRoutesFile {
  private static final int MAX_FILE_BYTES = 1 << 20;
  private static final List<String> FIELDS = List.of("flag", "service", "default", "variants");
  private static final List<String> VARIANT_FIELDS = List.of("version", "mirror", "percent");
  private static final int FULL_MIRROR = 100;

  private FlagRoutesFile() {}

  /**
   * Reads and validates the routes in {@code file}.
   *
   * @throws InvalidRoutesException naming the file, each bad flag and its problem
   * @throws UncheckedIOException if the file cannot be read
   */
  public static FlagRoutes load(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new InvalidRoutesException(file.toString(), List.of("file is larger than 1 MiB"));
      }
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read flag routes from " + file, e);
    }
  }

  /**
   * Parses and validates routes from YAML or JSON text.
   *
   * @param source names the text in error messages, e.g. a file name
   * @throws InvalidRoutesException naming the source, each bad flag and its problem
   */
  public static FlagRoutes parse(String text, String source) {
    Object document;
    try {
      document = new Load(LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false)
          .setMaxAliasesForCollections(10).build()).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new InvalidRoutesException(source, List.of("not valid YAML or JSON: " + e.getMessage()));
    }
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

  /** Adds a variant written as its version label, or as {@code {version, mirror, percent}}. */
  private static void variant(FlagRoute.Builder builder, String variant, Object value, String label,
      List<String> problems) {
    if (!(value instanceof Map<?, ?> fields)) {
      builder.variant(variant, text(value));
      return;
    }
    String where = label + ": variant '" + variant + "'";
    for (Object field : fields.keySet()) {
      if (!VARIANT_FIELDS.contains(String.valueOf(field))) {
        problems.add(where + ": unknown field '" + field + "' (expected version, mirror, percent)");
      }
    }
    builder.variant(variant, text(fields.get("version")));
    Object percent = fields.get("percent");
    if (fields.get("mirror") == null) {
      if (percent != null) {
        problems.add(where + ": 'percent' needs a 'mirror' version");
      }
    } else if (percent == null || percent instanceof Integer) {
      builder.mirror(variant, text(fields.get("mirror")), percent == null ? FULL_MIRROR : (Integer) percent);
    } else {
      problems.add(where + ": 'percent' must be a whole number from 1 to 100, found '" + percent + "'");
    }
  }

  private static String text(Object scalar) {
    return scalar == null || scalar instanceof Map || scalar instanceof List ? null : String.valueOf(scalar);
  }
}
