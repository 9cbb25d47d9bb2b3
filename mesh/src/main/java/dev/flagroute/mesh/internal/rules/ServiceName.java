package dev.flagroute.mesh.internal.rules;

/**
 * A Kubernetes service named the way meshes accept it: {@code reviews}, {@code reviews.shop},
 * {@code reviews.shop.svc} or {@code reviews.shop.svc.cluster.local}; other host names compare
 * as written. Internal to flagroute-mesh.
 *
 * @param name the short name, or the whole host for a non-Kubernetes host
 * @param namespace the namespace, or {@code null} if unknown
 */
public record ServiceName(String name, String namespace) {
  /** Parses {@code host}; a short name takes {@code defaultNamespace}, which may be {@code null}. */
  public static ServiceName parse(String host, String defaultNamespace) {
    String h = host;
    if (h.endsWith(".svc.cluster.local")) {
      h = h.substring(0, h.length() - ".svc.cluster.local".length());
    } else if (h.endsWith(".svc")) {
      h = h.substring(0, h.length() - ".svc".length());
    }
    String[] labels = h.split("\\.", -1);
    return switch (labels.length) {
      case 1 -> new ServiceName(h, defaultNamespace);
      case 2 -> new ServiceName(labels[0], labels[1]);
      default -> new ServiceName(host, null);
    };
  }

  /** Same name, and same namespace where both are known. */
  public boolean sameAs(ServiceName other) {
    return name.equals(other.name) && (namespace == null || other.namespace == null || namespace.equals(other.namespace));
  }
}
