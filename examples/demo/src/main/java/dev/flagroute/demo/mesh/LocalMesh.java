package dev.flagroute.demo.mesh;

import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshRoute;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.mesh.MeshRequest;
import java.util.ArrayList;
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
 * (the demo's pods get their meta from their version label), a Gateway API backendRef (Istio
 * ambient's too) or an SMI backend or root Service through the Service's selector. In ambient, the
 * routes of a Service bound to no waypoint ({@code istio.io/use-waypoint}) apply to nothing, as in
 * a cluster, so its requests match no rule here. Mirrors of the matching rule resolve the
 * same way ({@link #routing}). Immutable and thread-safe.
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
   * A routed request: the instance serving it, and where the rule mirrors copies of it.
   *
   * @param target the instance that serves the request and answers the user
   * @param mirrors the instances getting copies, with the share of requests each copies
   */
  public record Routing(Workload target, List<Mirroring> mirrors) {
    /** Copies the mirrors. */
    public Routing {
      mirrors = List.copyOf(mirrors);
    }
  }

  /**
   * A mirror of a rule, resolved to an instance.
   *
   * @param target the instance getting the copies
   * @param percent the share of the rule's requests copied, above 0 and at most 100
   */
  public record Mirroring(Workload target, double percent) {
    /**
     * Whether a request is copied, given {@code draw}, uniform in [0, 100): so each request is
     * copied with probability {@code percent / 100}, and every request when it is 100.
     */
    public boolean copies(double draw) {
      return draw < percent;
    }
  }

  /**
   * The instance among {@code endpoints} the mesh sends {@code request} for {@code service} to:
   * the primary destination of the matching rule, resolved by labels. Empty when no rule matches
   * or no endpoint fits, where a real mesh answers 503.
   */
  public Optional<Workload> route(String service, MeshRequest request, Collection<Workload> endpoints) {
    return routing(service, request, endpoints).map(Routing::target);
  }

  /**
   * Where the mesh sends {@code request} for {@code service}: the instance of {@link #route}, and
   * the instances the matching rule mirrors to; a mirror no running instance fits is left out, as a
   * mesh drops a copy it cannot deliver. Empty when {@link #route} is.
   */
  public Optional<Routing> routing(String service, MeshRequest request, Collection<Workload> endpoints) {
    Optional<MeshRoute> route = evaluator.route(service, request);
    if (route.isEmpty() || route.get().primary() == null) {
      return Optional.empty();
    }
    Optional<Workload> target = resolve(route.get().primary().host(), route.get().primary().subset(), endpoints);
    if (target.isEmpty()) {
      return Optional.empty();
    }
    List<Mirroring> mirrors = new ArrayList<>();
    for (MeshMirror mirror : route.get().mirrors()) {
      resolve(mirror.host(), mirror.subset(), endpoints)
          .ifPresent(workload -> mirrors.add(new Mirroring(workload, mirror.percent())));
    }
    return Optional.of(new Routing(target.get(), mirrors));
  }

  /** The instance a destination's host and subset select, by the subset's labels or the Service's selector. */
  private Optional<Workload> resolve(String host, String subset, Collection<Workload> endpoints) {
    Map<?, ?> selector = subset != null ? subsetLabels.get(shortName(host) + "/" + subset)
        : serviceSelectors.get(host);
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
