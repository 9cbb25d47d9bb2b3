package dev.flagroute.mesh.crd;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict validator for Kubernetes custom resources, driven by the upstream CRD files kept outside the repository.
 *
 * <p>The CRDs are read at test time from the folder named by the system property {@value #SCHEMAS_DIR_PROPERTY},
 * which the {@code crd-schemas} Maven profile sets to {@code ../shared/schemas} beside the repository; without it
 * (in an IDE), the nearest {@code shared/schemas} folder found walking up from the working directory is used. A
 * missing folder is an error, never a skip. The CRD files are never copied into the repository. A validator
 * reads one schema set: the {@code *.yaml}/{@code *.yml} files below some of its subfolders, such as the
 * newest CRDs ({@link #shared()}) or Gateway API v1.1.1 as Linkerd bundles it ({@link #gatewayApiV1_1()}),
 * since two sets define the same kinds.
 *
 * <p>Each CRD version's {@code openAPIV3Schema} is made strict by {@link StrictCrdSchema} (unknown fields are
 * rejected) and compiled once per (group, kind, version). Its CEL rules ({@code x-kubernetes-validations}) are
 * then evaluated by {@link CelRules} as the API server evaluates them on create. List-map key uniqueness is not
 * checked. Instances are thread-safe.
 */
public final class CrdSchemaValidator {

  /** System property naming the folder that holds the CRD files. */
  public static final String SCHEMAS_DIR_PROPERTY = "flagroute.schemas.dir";

  /** The folders of the newest CRDs: Istio, Gateway API v1.6.1, Consul and SMI. */
  public static final List<String> LATEST = List.of("istio", "gateway-api", "consul", "smi");
  /** The folder of Gateway API v1.1.1, experimental channel: what Linkerd's CRD chart installs. */
  public static final String GATEWAY_API_V1_1 = "gateway-api-v1.1.1";
  /** The folder of Gateway API v1.2.1: the newest release Linkerd documents support for. */
  public static final String GATEWAY_API_V1_2 = "gateway-api-v1.2.1";

  private static final Map<List<Path>, CrdSchemaValidator> INSTANCES = new ConcurrentHashMap<>();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4,
      builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
          .locale(Locale.ENGLISH)
          .pathType(PathType.JSON_PATH)
          .formatAssertionsEnabled(true)
          .build()));

  private final Path schemasDir;
  private final List<Path> folders;
  private final Map<CrdId, Schema> compiled = new ConcurrentHashMap<>();
  private volatile Map<CrdId, Map<String, Object>> crdSchemas;

  /** Identifies one served version of a custom resource. */
  public record CrdId(String group, String version, String kind) {

    /** The {@code apiVersion} value documents of this resource carry. */
    public String apiVersion() {
      return group + "/" + version;
    }
  }

  private CrdSchemaValidator(Path schemasDir, List<Path> folders) {
    this.schemasDir = schemasDir;
    this.folders = folders;
  }

  /** The validator of the newest CRDs ({@link #LATEST}) in the folder {@value #SCHEMAS_DIR_PROPERTY} names or found. */
  public static CrdSchemaValidator shared() {
    return of(LATEST);
  }

  /** The validator of Gateway API v1.1.1 (experimental channel), the schema Linkerd installs. */
  public static CrdSchemaValidator gatewayApiV1_1() {
    return of(List.of(GATEWAY_API_V1_1));
  }

  /** The validator of Gateway API v1.2.1, the ceiling of what Linkerd's control plane reads. */
  public static CrdSchemaValidator gatewayApiV1_2() {
    return of(List.of(GATEWAY_API_V1_2));
  }

  /** The validator of the CRDs below the given subfolders of the schema folder. */
  static CrdSchemaValidator of(List<String> subfolders) {
    Path root = resolveSchemasDir(System.getProperty(SCHEMAS_DIR_PROPERTY), Path.of(""));
    return forFolders(root, subfolders.stream().map(root::resolve).toList());
  }

  /** Returns the cached validator of every CRD below {@code schemasDir}, failing if it is not a directory. */
  public static CrdSchemaValidator forDirectory(Path schemasDir) {
    return forFolders(schemasDir, List.of(schemasDir));
  }

  private static CrdSchemaValidator forFolders(Path schemasDir, List<Path> folders) {
    List<Path> dirs = folders.stream().map(dir -> dir.toAbsolutePath().normalize()).toList();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException("CRD schema folder " + dir + " does not exist. Point the system property "
            + SCHEMAS_DIR_PROPERTY + " at the folder holding the upstream CRD files (shared/schemas).");
      }
    }
    return INSTANCES.computeIfAbsent(dirs,
        key -> new CrdSchemaValidator(schemasDir.toAbsolutePath().normalize(), key));
  }

  /**
   * Picks the schema folder: {@code property} if set, else the first {@code shared/schemas} directory found in
   * {@code workingDir} or one of its parents.
   *
   * @throws IllegalStateException if the property is unset and no such folder exists
   */
  static Path resolveSchemasDir(String property, Path workingDir) {
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    Path start = workingDir.toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("schemas");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("No shared/schemas folder found in " + start + " or any parent, and the "
        + "system property " + SCHEMAS_DIR_PROPERTY + " is not set. "
        + "Set it to the folder holding the CRD files.");
  }

  /** How many documents, CEL rules and rule evaluations every validator of this JVM has checked so far. */
  public static CelRules.Statistics celStatistics() {
    return CelRules.statistics();
  }

  /** The folder the CRDs are read from. */
  public Path schemasDir() {
    return schemasDir;
  }

  /**
   * Validates one resource, choosing the CRD by its {@code apiVersion} and {@code kind}.
   *
   * @return readable errors such as {@code "$.spec.http[0].foo: property 'foo' is not defined ..."} or {@code "CEL
   *     $.spec.listeners: Listener name must be unique within the Gateway (rule: ...)"}; empty if valid
   */
  public List<String> validate(Map<?, ?> document) {
    if (!(document.get("apiVersion") instanceof String apiVersion && apiVersion.contains("/"))
        || !(document.get("kind") instanceof String kind)) {
      return List.of("$: apiVersion must be 'group/version' and kind must be set, found apiVersion="
          + document.get("apiVersion") + ", kind=" + document.get("kind"));
    }
    int slash = apiVersion.lastIndexOf('/');
    CrdId id = new CrdId(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    if (!crdSchemas().containsKey(id)) {
      return List.of("$: no CRD for " + kind + " in " + apiVersion + " under " + folders
          + "; known: " + known());
    }
    List<String> errors = new ArrayList<>();
    compiled.computeIfAbsent(id, this::compile).validate(JSON.valueToTree(document))
        .forEach(error -> errors.add(error.toString()));
    CelRules.violations(document, crdSchemas().get(id)).forEach(violation -> errors.add("CEL " + violation));
    return List.copyOf(errors);
  }

  /**
   * Validates every document of a (multi-document) YAML string.
   *
   * @return errors prefixed with {@code "document N (Kind name): "}, N counting from 1; empty if there is at
   *     least one document and all are valid
   */
  public List<String> validateYaml(String yaml) {
    List<String> errors = new ArrayList<>();
    int index = 0;
    int resources = 0;
    for (Object document : yamlLoader().loadAllFromString(yaml)) {
      index++;
      if (document == null) {
        continue;
      }
      resources++;
      if (!(document instanceof Map<?, ?> map)) {
        errors.add("document " + index + ": not a mapping");
        continue;
      }
      String label = "document " + index + " (" + map.get("kind") + " " + name(map) + "): ";
      validate(map).forEach(error -> errors.add(label + error));
    }
    if (resources == 0) {
      errors.add("no YAML document found");
    }
    return errors;
  }

  /** Returns the strict JSON Schema used for {@code id}, for inspection. */
  public Map<String, Object> strictSchema(CrdId id) {
    Map<String, Object> openApi = crdSchemas().get(id);
    if (openApi == null) {
      throw new IllegalArgumentException("no CRD " + id + " under " + folders + "; known: " + known());
    }
    return StrictCrdSchema.of(openApi, id.apiVersion(), id.kind());
  }

  private String known() {
    return crdSchemas().keySet().stream().map(id -> id.apiVersion() + " " + id.kind()).sorted().toList().toString();
  }

  private Schema compile(CrdId id) {
    return REGISTRY.getSchema(JSON.valueToTree(strictSchema(id)));
  }

  private Map<CrdId, Map<String, Object>> crdSchemas() {
    Map<CrdId, Map<String, Object>> loaded = crdSchemas;
    if (loaded == null) {
      synchronized (this) {
        loaded = crdSchemas;
        if (loaded == null) {
          loaded = loadCrds(folders);
          crdSchemas = loaded;
        }
      }
    }
    return loaded;
  }

  private static Map<CrdId, Map<String, Object>> loadCrds(List<Path> dirs) {
    Map<CrdId, Map<String, Object>> byId = new HashMap<>();
    for (Path file : dirs.stream().flatMap(dir -> yamlFiles(dir).stream()).toList()) {
      try (Reader reader = Files.newBufferedReader(file)) {
        for (Object document : yamlLoader().loadAllFromReader(reader)) {
          if (document instanceof Map<?, ?> crd && "CustomResourceDefinition".equals(crd.get("kind"))) {
            addVersions(crd, file, byId);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRD file " + file, e);
      } catch (RuntimeException e) {
        throw new IllegalStateException("cannot parse CRD file " + file + ": " + e.getMessage(), e);
      }
    }
    if (byId.isEmpty()) {
      throw new IllegalStateException("no CustomResourceDefinition found in the YAML files under " + dirs);
    }
    return Map.copyOf(byId);
  }

  @SuppressWarnings("unchecked")
  private static void addVersions(Map<?, ?> crd, Path file, Map<CrdId, Map<String, Object>> byId) {
    Map<?, ?> spec = (Map<?, ?>) crd.get("spec");
    String group = (String) spec.get("group");
    String kind = (String) ((Map<?, ?>) spec.get("names")).get("kind");
    for (Object entry : (List<?>) spec.get("versions")) {
      Map<?, ?> version = (Map<?, ?>) entry;
      Map<?, ?> schema = (Map<?, ?>) version.get("schema");
      if (schema == null || !(schema.get("openAPIV3Schema") instanceof Map<?, ?> openApi)) {
        continue;
      }
      CrdId id = new CrdId(group, (String) version.get("name"), kind);
      if (byId.put(id, (Map<String, Object>) openApi) != null) {
        throw new IllegalStateException("CRD " + id + " is defined more than once (again in " + file + ")");
      }
    }
  }

  private static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static Load yamlLoader() {
    return new Load(LoadSettings.builder()
        .setSchema(new CoreSchema())
        .setCodePointLimit(16 * 1024 * 1024)
        .build());
  }

  private static Object name(Map<?, ?> document) {
    return document.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null;
  }
}
