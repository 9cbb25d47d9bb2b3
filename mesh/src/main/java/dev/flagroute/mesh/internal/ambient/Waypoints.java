package dev.flagroute.mesh.internal.ambient;

import static dev.flagroute.mesh.internal.ambient.IstioAmbientFormat.INGRESS_USE_WAYPOINT;
import static dev.flagroute.mesh.internal.ambient.IstioAmbientFormat.USE_WAYPOINT;

import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.internal.rules.Node;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ServiceName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What ambient documents say about waypoints: the waypoint Gateways, the labels of Services and
 * Namespaces, and the Services routes attach to. A Service's traffic passes a waypoint when it, or
 * else its namespace, carries {@code istio.io/use-waypoint} (other than {@code none}); traffic from
 * an ingress gateway only when {@code istio.io/ingress-use-waypoint: "true"} is there too.
 * Immutable.
 */
final class Waypoints {
  /** How a Service is bound, as far as the documents tell. */
  enum Binding {
    /** Labelled to use a waypoint. */
    BOUND,
    /** Its Service or namespace is among the documents, and neither binds it to a waypoint. */
    UNBOUND,
    /** Neither its Service nor its namespace is among the documents. */
    UNKNOWN
  }

  /** A Service a route attaches to. */
  private record Attachment(String route, ServiceName service) {}

  private final List<Resource> services;
  private final Map<String, Map<String, String>> namespaces;
  private final Set<ServiceName> gateways;
  private final List<Attachment> attachments;

  private Waypoints(List<Resource> services, Map<String, Map<String, String>> namespaces, Set<ServiceName> gateways,
      List<Attachment> attachments) {
    this.services = List.copyOf(services);
    this.namespaces = Map.copyOf(namespaces);
    this.gateways = Set.copyOf(gateways);
    this.attachments = List.copyOf(attachments);
  }

  /** Whether {@code r} is a waypoint: a Gateway API Gateway of class {@code istio-waypoint}. */
  static boolean isWaypoint(Resource r) {
    return IstioAmbientFormat.GATEWAY.matches(r)
        && IstioAmbientFormat.WAYPOINT_CLASS.equals(r.spec().get("gatewayClassName").string());
  }

  static Waypoints read(List<Resource> resources) {
    List<Resource> services = new ArrayList<>();
    Map<String, Map<String, String>> namespaces = new HashMap<>();
    Set<ServiceName> gateways = new LinkedHashSet<>();
    List<Attachment> attachments = new ArrayList<>();
    for (Resource r : resources) {
      if ("v1".equals(r.apiVersion()) && "Service".equals(r.kind())) {
        services.add(r);
      } else if ("v1".equals(r.apiVersion()) && "Namespace".equals(r.kind())) {
        namespaces.put(r.name(), r.labels());
      } else if (isWaypoint(r)) {
        gateways.add(new ServiceName(r.name(), r.namespace()));
      } else if (r.is("gateway.networking.k8s.io", "HTTPRoute") || r.is("gateway.networking.k8s.io", "GRPCRoute")) {
        for (Node parent : r.spec().get("parentRefs").items()) {
          String name = parent.get("name").string();
          if (name != null && "".equals(parent.get("group").string("gateway.networking.k8s.io"))
              && "Service".equals(parent.get("kind").string("Gateway"))) {
            attachments.add(new Attachment(r.label(),
                new ServiceName(name, parent.get("namespace").string(r.namespace()))));
          }
        }
      }
    }
    return new Waypoints(services, namespaces, gateways, attachments);
  }

  /** How {@code service} ({@code reviews} or {@code reviews.shop}) is bound. */
  Binding binding(String service) {
    return binding(ServiceName.parse(service, null));
  }

  private Binding binding(ServiceName service) {
    Optional<String> waypoint = label(service, USE_WAYPOINT);
    if (waypoint.isPresent()) {
      return waypoint.get().equals("none") ? Binding.UNBOUND : Binding.BOUND;
    }
    return serviceDoc(service).isPresent() || namespaceLabels(service).isPresent() ? Binding.UNBOUND : Binding.UNKNOWN;
  }

  /**
   * Routes attached to a Service that no waypoint serves, or that names a waypoint the documents do
   * not define (when they define any), or whose ingress traffic skips the waypoint.
   */
  List<Drift> drift() {
    List<Drift> drift = new ArrayList<>();
    Set<String> reported = new LinkedHashSet<>();
    for (Attachment a : attachments) {
      String service = a.service().name();
      String every = "every request to " + service + ", flagged or not";
      Binding binding = binding(a.service());
      if (binding == Binding.UNBOUND && reported.add(a.route() + "|bound")) {
        drift.add(new Drift(Drift.Kind.NOT_APPLIED, a.route(), "is attached to Service '" + service + "', which no"
            + " waypoint serves (no " + USE_WAYPOINT + " label on the Service or its namespace, or 'none'): ambient"
            + " sends its traffic around every waypoint, so none of the route's rules apply", every));
        continue;
      }
      if (binding == Binding.UNKNOWN) {
        if (reported.add(a.route() + "|unknown")) {
          drift.add(new Drift(Drift.Kind.NOT_APPLIED, a.route(), "is attached to Service '" + service + "', but the"
              + " documents hold neither that Service nor its Namespace, so nothing shows it is labelled "
              + USE_WAYPOINT + "; without a waypoint the route silently does not apply; give the Service's manifest"
              + " to the check, or label it", every));
        }
        continue;
      }
      String waypoint = label(a.service(), USE_WAYPOINT).orElseThrow();
      String namespace = serviceDoc(a.service()).map(Resource::namespace).orElse(a.service().namespace());
      if (!gateways.isEmpty() && gateways.stream().noneMatch(g -> g.sameAs(new ServiceName(waypoint, namespace)))
          && reported.add(a.route() + "|waypoint")) {
        drift.add(new Drift(Drift.Kind.NOT_APPLIED, a.route(), "is attached to Service '" + service + "', which uses"
            + " waypoint '" + waypoint + "', but the documents define no Gateway '" + waypoint + "' of class "
            + IstioAmbientFormat.WAYPOINT_CLASS + " (they define " + gateways.stream().map(ServiceName::name).toList()
            + "), so no waypoint enforces the route", every));
      }
      if (!"true".equals(label(a.service(), INGRESS_USE_WAYPOINT).orElse(null))
          && reported.add(a.route() + "|ingress")) {
        drift.add(new Drift(Drift.Kind.NOT_APPLIED, a.route(), "is attached to Service '" + service + "', which lacks "
            + INGRESS_USE_WAYPOINT + ": \"true\" (on the Service or its namespace): traffic from an ingress gateway"
            + " skips the waypoint, so if " + service + " is the edge's first callee its flag headers are ignored",
            "every request reaching " + service + " through an ingress gateway"));
      }
    }
    return drift;
  }

  /** The value of {@code key} on the Service, or else on its namespace. */
  private Optional<String> label(ServiceName service, String key) {
    Optional<Resource> doc = serviceDoc(service);
    if (doc.isPresent() && doc.get().labels().containsKey(key)) {
      return Optional.of(doc.get().labels().get(key));
    }
    return namespaceLabels(service).map(labels -> labels.get(key));
  }

  private Optional<Resource> serviceDoc(ServiceName service) {
    return services.stream().filter(s -> new ServiceName(s.name(), s.namespace()).sameAs(service)).findFirst();
  }

  private Optional<Map<String, String>> namespaceLabels(ServiceName service) {
    String namespace = serviceDoc(service).map(Resource::namespace).orElse(service.namespace());
    return Optional.ofNullable(namespace == null ? null : namespaces.get(namespace));
  }
}
