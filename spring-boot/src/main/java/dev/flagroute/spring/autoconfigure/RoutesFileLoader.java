package dev.flagroute.spring.autoconfigure;

import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.InvalidRoutesException;
import dev.flagroute.spring.diagnostics.FlagRouteConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads {@code flagroute.routes-file} with SnakeYAML, the YAML parser Spring Boot itself uses, so
 * that an application loads no second YAML library; core's {@link FlagRoutes#fromDocument}
 * validates what it read. Every plain scalar is read as written (only {@code ~}, {@code null} and empty stay null):
 * YAML 1.1's booleans and numbers would turn variants such as {@code on} or versions such as
 * {@code 1.10} into something else. JSON files parse too.
 */
final class RoutesFileLoader {
  private static final int MAX_BYTES = 1 << 20;

  private RoutesFileLoader() {}

  static FlagRoutes load(Resource file) {
    String description = file.getDescription();
    if (!file.exists()) {
      throw ConfigurationFailures.routesFile(description, "does not exist");
    }
    String text;
    try (InputStream in = file.getInputStream()) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw ConfigurationFailures.routesFile(description, "is larger than 1 MiB");
      }
      text = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ConfigurationFailures.routesFile(description, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    return parse(text, description);
  }

  /**
   * Parses and validates routes from YAML or JSON {@code text} read from {@code description}.
   *
   * @throws FlagRouteConfigurationException naming the file and each problem
   */
  static FlagRoutes parse(String text, String description) {
    Object document;
    try {
      document = yaml().load(text);
    } catch (YAMLException e) {
      throw ConfigurationFailures.routesFileSyntax(description, String.valueOf(e.getMessage()));
    }
    try {
      return FlagRoutes.fromDocument(document, description);
    } catch (InvalidRoutesException e) {
      throw ConfigurationFailures.invalidRoutes("flagroute.routes-file", description + " (named by 'flagroute.routes-file')",
          e.problems());
    }
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    options.setCodePointLimit(MAX_BYTES);
    DumperOptions dumper = new DumperOptions();
    return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new AsWritten());
  }

  /** Resolves plain scalars to strings, and only null's spellings to null. */
  private static final class AsWritten extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
    }
  }
}
