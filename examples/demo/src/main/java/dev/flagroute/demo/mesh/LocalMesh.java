package dev.flagroute.demo.mesh;

import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshRoute;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.mesh.MeshRequest;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mesh on one machine: reads the same YAML a cluster would apply, picks a rule for each request
 * with flagroute's {@link MeshRouteEvaluator}, and resolves the rule's destination to one of the
 * service's running {@link Workload}s the way the mesh does: an Istio subset through its
 * DestinationRule's labels, a Consul subset through its ServiceResolver's service meta filter
 * (the demo's pods get their meta from their version label), a Gateway API backendRef or an SMI
 * backend or root Service through the Service's selector. Immutable and thread-safe.
 */
public final class LocalMesh {
  /** A Consul subset filter on one service meta key, as flagroute writes it. */
  private static final Pattern META_FILTER = Pattern.compile("Service\\.Meta\\.([A-Za-z0-9_-]+) == \"([^\"]*)\"");

  private final MeshRouteEvaluator evaluator;
  private final Map<String, Map<?, ?>> subsetLabels = new HashMap<>();
  private final Map<String, Map<?, ?>> serviceSelectors = new HashMap<>();

  private LocalMesh(List<Map<String, Object>> documents) {
    this.evaluator = MeshRouteEvaluator.of(documents);
    for (Map<String, Object> doc : documents) {
      Object kind = doc.get("kind");
      if ("DestinationRule".equals(kind) && doc.get("spec") instanceof Map<?, ?> spec
          && spec.get("subsets") instanceof List<?> subsets) {
        String host = shortName(String.valueOf(spec.get("host")));
        for (Object subset : subsets) {
          if (subset instanceof Map<?, ?> s && s.get("labels") instanceof Map<?, ?> labels) {
            subsetLabels.put(host + "/" + s.get("name"), withApp(host, labels));
          }
        }
      } else if ("ServiceResolver".equals(kind) && doc.get("metadata") instanceof Map<?, ?> meta
          && doc.get("spec") instanceof Map<?, ?> spec && spec.get("subsets") instanceof Map<?, ?> subsets) {
        String service = String.valueOf(meta.get("name"));
        subsets.forEach((name, subset) -> {
          Matcher filter = subset instanceof Map<?, ?> s ? META_FILTER.matcher(String.valueOf(s.get("filter"))) : null;
          if (filter != null && filter.matches()) {
            subsetLabels.put(service + "/" + name, withApp(service, Map.of(filter.group(1), filter.group(2))));
          }
        });
      } else if ("Service".equals(kind) && doc.get("metadata") instanceof Map<?, ?> meta
          && doc.get("spec") instanceof Map<?, ?> spec && spec.get("selector") instanceof Map<?, ?> selector) {
        serviceSelectors.put(String.valueOf(meta.get("name")), selector);
      }
    }
  }

  /**
   * A mesh routing by the routing resources of one format among {@code documents} (as read by
   * {@link dev.flagroute.mesh.MeshYaml#read}); kinds it does not route by are ignored.
   *
   * @throws dev.flagroute.mesh.InvalidMeshException if a routing document cannot be evaluated
   */
  public static LocalMesh of(List<Map<String, Object>> documents) {
    return new LocalMesh(documents);
  }

  /** The documents' format, e.g. {@code istio} or {@code consul}. */
  public String format() {
    return evaluator.format().id();
  }

  /**
   * The instance among {@code endpoints} the mesh sends {@code request} for {@code service} to:
   * the primary destination of the matching rule, resolved by labels. Empty when no rule matches
   * or no endpoint fits, where a real mesh answers 503.
   */
  public Optional<Workload> route(String service, MeshRequest request, Collection<Workload> endpoints) {
    Optional<MeshRoute> route = evaluator.route(service, request);
    if (route.isEmpty() || route.get().primary() == null) {
      return Optional.empty();
    }
    MeshDestination destination = route.get().primary();
    Map<?, ?> selector = destination.subset() != null
        ? subsetLabels.get(shortName(destination.host()) + "/" + destination.subset())
        : serviceSelectors.get(destination.host());
    if (selector == null) {
      return Optional.empty();
    }
    return endpoints.stream().filter(w -> w.matches(selector)).findFirst();
  }

  private static Map<?, ?> withApp(String host, Map<?, ?> labels) {
    Map<Object, Object> selector = new HashMap<>(labels);
    selector.putIfAbsent("app", host);
    return selector;
  }

  /** {@code reviews} of {@code reviews.shop.svc.cluster.local}. */
  private static String shortName(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }
}
