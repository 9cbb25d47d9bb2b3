package dev.flagroute.mesh.internal.rules;

import dev.flagroute.mesh.MeshOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small helpers that build Kubernetes documents as ordered maps, so YAML output is deterministic.
 * Internal to flagroute-mesh.
 */
public final class Docs {
  private Docs() {}

  /** An ordered map of the given key/value pairs; pairs with a {@code null} value are left out. */
  public static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        map.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return map;
  }

  /** A resource's top: apiVersion, kind, metadata (name, namespace, labels), then spec. */
  public static Map<String, Object> resource(String apiVersion, String kind, String name, MeshOptions options,
      Map<String, String> extraLabels, Map<String, Object> spec) {
    Map<String, Object> labels = new LinkedHashMap<>(options.labels());
    labels.putAll(extraLabels);
    Map<String, Object> metadata = map("name", name, "namespace", options.namespace(),
        "labels", labels.isEmpty() ? null : labels);
    return map("apiVersion", apiVersion, "kind", kind, "metadata", metadata, "spec", spec);
  }

  /** A fresh mutable list of {@code items}, so that documents never share structure. */
  public static List<Object> list(Object... items) {
    return new ArrayList<>(List.of(items));
  }
}
