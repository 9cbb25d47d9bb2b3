package dev.flagroute.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 *   - flag: search
 *     service: search
 *     default: v1
 *     variants:
 *       v1: v1
 *       v2:                   # a guarded ramp: the share of users (by targeting key) who may
 *         version: v2         # get v2 widens at each interval, and falls to 0 if v2 is WORSE
 *         ramp:
 *           steps: [1, 5, 25, 50, 100]     # percent
 *           interval: 10m                  # 90s, 10m, 2h, 1d or ISO-8601 (PT10M)
 *           start: 2026-01-05T09:00:00Z    # the same in every replica's routes
 * }</pre>
 */
public final class FlagRoutesFile {
  private static final int MAX_FILE_BYTES = 1 << 20;

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
    return RoutesDocument.read(document, source);
  }
}
