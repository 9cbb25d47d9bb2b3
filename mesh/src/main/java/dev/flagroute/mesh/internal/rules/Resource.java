package dev.flagroute.mesh.internal.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity of one Kubernetes document: kind, name, namespace, creation time and its spec.
 * Internal to flagroute-mesh.
 *
 * @param namespace the namespace, or {@code null} if the document names none
 * @param created {@code metadata.creationTimestamp}, or {@code "~"} if absent, which sorts after every
 *     timestamp: a document not yet applied is newer than any object in the cluster
 * @param labels {@code metadata.labels}, values as strings; empty if none
 */
public record Resource(String apiVersion, String kind, String name, String namespace, String created, Node spec,
    Map<String, String> labels) {
  /** Copies the labels. */
  public Resource {
    labels = Map.copyOf(labels);
  }

  /** Oldest first, then by {@code namespace/name}: Istio's merge order and Gateway API's tie-break. */
  public static final Comparator<Resource> AGE_THEN_NAME =
      Comparator.comparing(Resource::created).thenComparing(Resource::qualifiedName);

  /**
   * Reads the identity of every document, in order; a document without a kind gets a {@code null} kind.
   *
   * @param problems where problems found while reading the documents' specs are recorded
   */
  @SuppressWarnings("unchecked")
  public static List<Resource> all(List<? extends Map<String, ?>> documents, List<String> problems) {
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      resources.add(of((Map<String, Object>) documents.get(i), i, problems));
    }
    return resources;
  }

  private static Resource of(Map<String, Object> document, int index, List<String> problems) {
    String apiVersion = document.get("apiVersion") instanceof String a ? a : "";
    String kind = document.get("kind") instanceof String k ? k : null;
    Map<?, ?> metadata = document.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
    String name = metadata.get("name") instanceof String n ? n : "#" + (index + 1);
    String namespace = metadata.get("namespace") instanceof String ns ? ns : null;
    Object created = metadata.get("creationTimestamp");
    String label = (kind == null ? "document" : kind) + " " + (namespace == null ? "" : namespace + "/") + name;
    Map<String, String> labels = new LinkedHashMap<>();
    if (metadata.get("labels") instanceof Map<?, ?> l) {
      l.forEach((key, value) -> {
        if (key != null && value != null) {
          labels.put(String.valueOf(key), String.valueOf(value));
        }
      });
    }
    return new Resource(apiVersion, kind, name, namespace, created == null ? "~" : String.valueOf(created),
        new Node(document.get("spec"), label, "spec", problems), labels);
  }

  /** {@code namespace/name}, with an empty namespace when none is named. */
  public String qualifiedName() {
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  /** E.g. {@code VirtualService shop/reviews}. */
  public String label() {
    return spec.resource();
  }

  /** Whether the document is of {@code kind} in API group {@code group} (any version). */
  public boolean is(String group, String kind) {
    return kind.equals(this.kind) && apiVersion.startsWith(group + "/");
  }
}
