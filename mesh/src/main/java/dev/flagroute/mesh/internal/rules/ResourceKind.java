package dev.flagroute.mesh.internal.rules;

import java.util.List;

/**
 * A kind of Kubernetes resource in an API group, any version: {@code networking.istio.io}
 * {@code VirtualService}, say. Internal to flagroute-mesh.
 *
 * @param group the API group, e.g. {@code gateway.networking.k8s.io}
 * @param kind the kind, e.g. {@code HTTPRoute}
 */
public record ResourceKind(String group, String kind) {
  /** Whether {@code resource} is of this kind. */
  public boolean matches(Resource resource) {
    return resource.is(group, kind);
  }

  /** The kinds' names for a message: {@code VirtualService}, {@code HTTPRoute or GRPCRoute}, {@code A, B or C}. */
  public static String anyOf(List<ResourceKind> kinds) {
    List<String> names = kinds.stream().map(ResourceKind::kind).toList();
    int last = names.size() - 1;
    return last < 1 ? String.join("", names) : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
  }

  /** The kind's name, as messages show it. */
  @Override
  public String toString() {
    return kind;
  }
}
