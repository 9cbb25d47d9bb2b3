package dev.flagroute.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers "which rule, and so which subset or backend, would the mesh pick for this request?"
 * for VirtualServices or HTTPRoutes/GRPCRoutes, generated or hand-written. Parse once, evaluate
 * many: instances are immutable and thread-safe, and regexes run in linear time (RE2).
 *
 * <p><b>Istio</b>: VirtualServices bound to the mesh, first match wins; StringMatch
 * {@code exact}/{@code prefix}/{@code regex} (full match) and {@code {}} for presence; header keys
 * are taken as written (an uppercase key never matches); {@code withoutHeaders} as Envoy applies
 * it (see {@code Condition.Header}); {@code uri}, {@code method}, {@code queryParams} too.
 *
 * <p><b>Gateway API</b>: routes whose parentRefs name a Service ({@code group: ""},
 * {@code kind: Service}); the most specific match wins as the specification orders it, header
 * names ignoring case. GRPCRoutes answer gRPC requests ({@code content-type: application/grpc...})
 * when a service has both kinds.
 *
 * <pre>{@code
 * MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(Files.readString(path), path.toString());
 * MeshRoute route = mesh.route("reviews", MeshRequest.of(Map.of("x-flag-checkout", "v2"))).orElseThrow();
 * route.primary().subset(); // "v2"
 * }</pre>
 */
public final class MeshRouteEvaluator {
  private static final int MAX_CACHED_SERVICES = 4096;

  private final MeshFormat format;
  private final IstioTable istio;
  private final GatewayTable gateway;
  private final Map<String, Lookup> lookups = new ConcurrentHashMap<>();

  /** What one service's traffic is matched against. */
  private record Lookup(List<MeshRule> istioRules, List<GatewayTable.Ranked> http, List<GatewayTable.Ranked> grpc) {}

  /** A rule picked for a request and the alternative that matched ({@code null} for a rule without matches). */
  record Hit(MeshRule rule, MeshRule.Match match) {}

  private MeshRouteEvaluator(MeshFormat format, IstioTable istio, GatewayTable gateway) {
    this.format = format;
    this.istio = istio;
    this.gateway = gateway;
  }

  /**
   * An evaluator for the routing documents among {@code documents} (other kinds are ignored),
   * whose format is told by their kinds.
   *
   * @throws InvalidMeshException if a routing document cannot be evaluated, or the documents mix
   *     Istio and Gateway API routing
   */
  public static MeshRouteEvaluator of(List<? extends Map<String, ?>> documents) {
    return of(detect(documents, "mesh rules"), documents, "mesh rules");
  }

  /**
   * An evaluator for the documents of {@code format} among {@code documents}.
   *
   * @throws InvalidMeshException if a routing document cannot be evaluated
   */
  public static MeshRouteEvaluator of(MeshFormat format, List<? extends Map<String, ?>> documents) {
    return of(format, documents, "mesh rules");
  }

  /**
   * Reads {@code yaml} and evaluates its routing documents.
   *
   * @param source names the text in error messages, e.g. a file name
   * @throws InvalidMeshException if the text is not YAML or its rules cannot be evaluated
   */
  public static MeshRouteEvaluator parse(String yaml, String source) {
    List<Map<String, Object>> documents = MeshYaml.read(yaml, source);
    return of(detect(documents, source), documents, source);
  }

  static MeshRouteEvaluator of(MeshFormat format, List<? extends Map<String, ?>> documents, String source) {
    List<String> problems = new ArrayList<>();
    List<Resource> resources = resources(documents, problems);
    MeshRouteEvaluator evaluator = format == MeshFormat.ISTIO
        ? new MeshRouteEvaluator(format, new IstioTable(resources), null)
        : new MeshRouteEvaluator(format, null, new GatewayTable(resources));
    if (!problems.isEmpty()) {
      throw new InvalidMeshException(source, problems);
    }
    return evaluator;
  }

  /** The format whose routing documents {@code documents} hold (Istio when they hold none). */
  static MeshFormat detect(List<? extends Map<String, ?>> documents, String source) {
    List<Resource> resources = resources(documents, new ArrayList<>());
    boolean istio = resources.stream().anyMatch(r -> r.is(IstioTable.GROUP, "VirtualService"));
    boolean gateway = resources.stream()
        .anyMatch(r -> r.is(GatewayTable.GROUP, "HTTPRoute") || r.is(GatewayTable.GROUP, "GRPCRoute"));
    if (istio && gateway) {
      throw new InvalidMeshException(source, List.of("the documents mix Istio VirtualServices and Gateway API routes;"
          + " evaluate each format on its own with of(MeshFormat, documents)"));
    }
    return gateway ? MeshFormat.GATEWAY_API : MeshFormat.ISTIO;
  }

  @SuppressWarnings("unchecked")
  static List<Resource> resources(List<? extends Map<String, ?>> documents, List<String> problems) {
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      resources.add(Resource.of((Map<String, Object>) documents.get(i), i, problems));
    }
    return resources;
  }

  /** The format this evaluator reads. */
  public MeshFormat format() {
    return format;
  }

  /** Whether some rule names {@code service} (a VirtualService host, or a route's parent Service). */
  public boolean routes(String service) {
    return istio != null ? istio.routes(service) : gateway.routes(service);
  }

  /**
   * The rule the mesh picks for {@code request} to {@code service} ({@code reviews},
   * {@code reviews.shop} or a full host name), or empty if no rule matches and the mesh would
   * route by its defaults.
   */
  public Optional<MeshRoute> route(String service, MeshRequest request) {
    Hit hit = hit(service, request);
    return hit == null ? Optional.empty() : Optional.of(hit.rule().toRoute());
  }

  /** The rule and alternative picked for {@code request}, or {@code null}. */
  Hit hit(String service, MeshRequest request) {
    Lookup lookup = lookup(service);
    if (istio != null) {
      for (MeshRule rule : lookup.istioRules) {
        if (rule.matches().isEmpty()) {
          return new Hit(rule, null);
        }
        for (MeshRule.Match match : rule.matches()) {
          if (match.test(request)) {
            return new Hit(rule, match);
          }
        }
      }
      return null;
    }
    List<GatewayTable.Ranked> ranked = lookup.http.isEmpty() || !lookup.grpc.isEmpty() && isGrpc(request)
        ? lookup.grpc : lookup.http;
    for (GatewayTable.Ranked candidate : ranked) {
      if (candidate.match().test(request)) {
        return new Hit(candidate.rule(), candidate.match());
      }
    }
    return null;
  }

  IstioTable istio() {
    return istio;
  }

  GatewayTable gateway() {
    return gateway;
  }

  private Lookup lookup(String service) {
    Lookup lookup = lookups.get(service);
    if (lookup == null) {
      lookup = istio != null
          ? new Lookup(List.copyOf(istio.rulesFor(service)), List.of(), List.of())
          : new Lookup(List.of(), gateway.rankedFor(service, false), gateway.rankedFor(service, true));
      if (lookups.size() < MAX_CACHED_SERVICES) {
        lookups.putIfAbsent(service, lookup);
      }
    }
    return lookup;
  }

  private static boolean isGrpc(MeshRequest request) {
    String contentType = request.header("content-type");
    return contentType != null && contentType.startsWith("application/grpc");
  }
}
