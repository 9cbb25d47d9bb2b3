package dev.flagroute.mesh.internal.rules;

import dev.flagroute.mesh.MeshOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The selectors of the core {@code v1} Services among documents, telling which version of a
 * service a Service routes to, for formats whose backends are Services (Gateway API, SMI).
 * Immutable. Internal to flagroute-mesh.
 */
public final class ServiceSelectors {
  private final Map<ServiceName, Map<String, String>> selectors;
  private final Map<ServiceName, List<Integer>> ports;

  private ServiceSelectors(Map<ServiceName, Map<String, String>> selectors, Map<ServiceName, List<Integer>> ports) {
    this.selectors = Collections.unmodifiableMap(selectors);
    this.ports = Collections.unmodifiableMap(ports);
  }

  /** The selectors of the {@code v1} Services among {@code resources}. */
  public static ServiceSelectors read(List<Resource> resources) {
    Map<ServiceName, Map<String, String>> selectors = new LinkedHashMap<>();
    Map<ServiceName, List<Integer>> ports = new LinkedHashMap<>();
    for (Resource r : resources) {
      if ("v1".equals(r.apiVersion()) && "Service".equals(r.kind())) {
        Map<String, String> selector = new LinkedHashMap<>();
        r.spec().get("selector").entries().forEach((k, v) -> selector.put(k, v.string("")));
        ServiceName name = new ServiceName(r.name(), r.namespace());
        selectors.put(name, Collections.unmodifiableMap(selector));
        List<Integer> exposed = new ArrayList<>();
        r.spec().get("ports").items().forEach(port -> {
          Integer number = port.get("port").integer();
          if (number != null) {
            exposed.add(number);
          }
        });
        ports.put(name, List.copyOf(exposed));
      }
    }
    return new ServiceSelectors(selectors, ports);
  }

  /** Whether the documents hold no Service. */
  public boolean isEmpty() {
    return selectors.isEmpty();
  }

  /** Whether the documents hold the Service {@code host} ({@code name} or {@code name.namespace}). */
  public boolean defines(String host, String defaultNamespace) {
    ServiceName wanted = ServiceName.parse(host, defaultNamespace);
    return selectors.keySet().stream().anyMatch(s -> s.sameAs(wanted));
  }

  /**
   * The ports the Service {@code host} exposes, or {@code null} when the documents do not define
   * it (or define it without ports).
   */
  public List<Integer> ports(String host, String defaultNamespace) {
    ServiceName wanted = ServiceName.parse(host, defaultNamespace);
    return ports.entrySet().stream().filter(e -> e.getKey().sameAs(wanted) && !e.getValue().isEmpty())
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  /**
   * The version of {@code service} the Service {@code host} selects: its selector's
   * {@link MeshOptions#versionLabel() version label}; for a Service the documents do not hold, the
   * name's suffix after {@code <service>-}; else a description of what the Service reaches.
   */
  public String versionOf(String service, String host, MeshOptions options) {
    ServiceName backend = ServiceName.parse(host, null);
    Map<String, String> selector = selectors.entrySet().stream()
        .filter(e -> e.getKey().sameAs(backend)).map(Map.Entry::getValue).findFirst().orElse(null);
    String prefix = ServiceName.parse(service, null).name() + "-";
    if (selector != null) {
      String version = selector.get(options.versionLabel());
      return version != null ? version : "every version Service " + host + " selects (no " + options.versionLabel()
          + " in its selector)";
    }
    return backend.name().startsWith(prefix) ? backend.name().substring(prefix.length()) : "Service " + host;
  }
}
