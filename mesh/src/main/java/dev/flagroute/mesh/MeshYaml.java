package dev.flagroute.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.JsonScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Reads and writes multi-document mesh YAML with snakeyaml-engine (which must be on the class path).
 *
 * <p>Output is block style with keys in the documents' map order, so equal input gives
 * byte-identical output. Strings that a YAML 1.1 reader such as kubectl's would take for
 * something else ({@code on}, {@code no}, {@code 0777}, {@code 1e3}, {@code ~} ...) are quoted.
 */
public final class MeshYaml {
  /** The largest YAML text read, in characters. */
  public static final int MAX_CHARS = 4 << 20;

  private static final Dump DUMP = new Dump(DumpSettings.builder()
      .setDefaultFlowStyle(FlowStyle.BLOCK)
      .setExplicitStart(true)
      .setIndent(2)
      .setIndicatorIndent(2)
      .setIndentWithIndicator(true)
      .setWidth(Integer.MAX_VALUE)
      .setSplitLines(false)
      .setSchema(new Yaml11SafeSchema())
      .build());

  private MeshYaml() {}

  /** Writes {@code documents} as YAML, each starting with {@code ---}. */
  public static String write(List<? extends Map<String, ?>> documents) {
    return DUMP.dumpAllToString(documents.iterator());
  }

  /**
   * Reads every document of {@code yaml}; empty documents are skipped and the items of a
   * {@code kind: List} are read as documents.
   *
   * @param source names the text in error messages, e.g. a file name
   * @throws InvalidMeshException if the text is not YAML, too large, or a document is not a mapping
   */
  public static List<Map<String, Object>> read(String yaml, String source) {
    if (yaml.length() > MAX_CHARS) {
      throw new InvalidMeshException(source, List.of("larger than " + MAX_CHARS + " characters"));
    }
    Load load = new Load(LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false)
        .setMaxAliasesForCollections(50).setCodePointLimit(MAX_CHARS).setSchema(new CoreSchema()).build());
    List<Map<String, Object>> documents = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      int index = 0;
      for (Object document : load.loadAllFromString(yaml)) {
        index++;
        add(document, "document " + index, documents, problems);
      }
    } catch (YamlEngineException e) {
      throw new InvalidMeshException(source, List.of("not valid YAML: " + e.getMessage()));
    }
    if (!problems.isEmpty()) {
      throw new InvalidMeshException(source, problems);
    }
    return documents;
  }

  @SuppressWarnings("unchecked")
  private static void add(Object document, String where, List<Map<String, Object>> out, List<String> problems) {
    if (document == null) {
      return;
    }
    if (!(document instanceof Map<?, ?> map) || map.keySet().stream().anyMatch(k -> !(k instanceof String))) {
      problems.add(where + ": expected a mapping with string keys (a Kubernetes resource)");
      return;
    }
    if ("List".equals(map.get("kind")) && map.get("items") instanceof List<?> items) {
      for (int i = 0; i < items.size(); i++) {
        add(items.get(i), where + " items[" + i + "]", out, problems);
      }
      return;
    }
    out.add((Map<String, Object>) map);
  }

  /** YAML 1.2 JSON schema for writing, plus YAML 1.1 readings that force quotes on strings. */
  private static final class Yaml11SafeSchema implements Schema {
    private static final Tag YAML_1_1_SCALAR = new Tag(Tag.PREFIX + "yaml-1.1-scalar");
    private static final Pattern YAML_1_1_SPECIAL = Pattern.compile(
        "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
            + "|~|null|Null|NULL|<<|=|[-+]?\\.?[0-9][0-9a-zA-Z_.:+-]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    private final JsonScalarResolver json = new JsonScalarResolver();
    private final ScalarResolver resolver = (value, implicit) -> {
      Tag tag = json.resolve(value, implicit);
      return implicit && Tag.STR.equals(tag) && YAML_1_1_SPECIAL.matcher(value).matches() ? YAML_1_1_SCALAR : tag;
    };

    @Override
    public ScalarResolver getScalarResolver() {
      return resolver;
    }

    @Override
    public Map<Tag, ConstructNode> getSchemaTagConstructors() {
      return Map.of();
    }
  }
}
