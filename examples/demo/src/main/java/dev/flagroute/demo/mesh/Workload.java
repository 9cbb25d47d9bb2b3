package dev.flagroute.demo.mesh;

import java.util.Map;

/**
 * One running instance, as a mesh sees a pod: its labels and its address.
 *
 * @param labels pod labels, e.g. {@code {app: reviews, version: v2}}
 * @param host the address it listens on
 * @param port the port it listens on
 */
public record Workload(Map<String, String> labels, String host, int port) {
  /** Copies the labels. */
  public Workload {
    labels = Map.copyOf(labels);
  }

  /** An instance labelled {@code app: <app>} and {@code version: <version>}. */
  public static Workload of(String app, String version, String host, int port) {
    return new Workload(Map.of("app", app, "version", version), host, port);
  }

  /** Whether every entry of {@code selector} is one of this instance's labels. */
  public boolean matches(Map<?, ?> selector) {
    return !selector.isEmpty() && selector.entrySet().stream()
        .allMatch(e -> String.valueOf(e.getValue()).equals(labels.get(String.valueOf(e.getKey()))));
  }

  /** {@code reviews v2}. */
  public String name() {
    return labels.get("app") + " " + labels.get("version");
  }
}
