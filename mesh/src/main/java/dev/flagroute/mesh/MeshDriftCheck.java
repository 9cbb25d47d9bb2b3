package dev.flagroute.mesh;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.internal.check.HeaderCheck;
import dev.flagroute.mesh.internal.check.MisnamedHeaders;
import dev.flagroute.mesh.internal.check.RoutingCheck;
import dev.flagroute.mesh.internal.check.StampedRequests;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks existing mesh rules, of every {@link MeshFormat} the documents hold, against the flag
 * routes and codec the router uses, and reports every {@link Drift}. Immutable and thread-safe.
 *
 * <p>Routing is checked by evaluation, not by comparing text: for each routed service, requests
 * stamped with every combination of its flags' variants (all of them up to
 * {@value #MAX_REQUESTS_PER_SERVICE} combinations, else one flag at a time) and one request without
 * flag headers go through {@link MeshRouteEvaluator}, and must reach the version the documented
 * precedence ({@link MeshGenerator}) names, mirrored as the deciding variant's mirror says (to its
 * version with its percentage, or not at all). Header names and values are checked rule by rule;
 * then each format checks what only it can get wrong: destinations its documents do not define
 * (undefined subsets or Services), rules its precedence never picks (shadowed rules), and settings
 * that keep its rules from applying.
 *
 * <p>Beyond {@code GET /}: stamped requests, flagged or not, are also sent with the methods,
 * paths, query parameters and other headers that the rules match on, so that a rule taking them
 * away from the version the routes name is reported ({@link Drift.Kind#CAPTURED}), as is a rule
 * injecting faults into flagged requests ({@link Drift.Kind#FAULT}); several Istio
 * VirtualServices for one host, or a VirtualService beside a Gateway API route for one service,
 * are a {@link Drift.Kind#CONFLICT}, and ports other than the service's ({@link MeshOptions#port},
 * when configured) or than its Service exposes are {@link Drift.Kind#WRONG_PORT}. In Istio
 * ambient, routes that no waypoint enforces are {@link Drift.Kind#NOT_APPLIED}. Every finding
 * says which requests it affects ({@link Drift#affects()}).
 *
 * <pre>{@code
 * List<Drift> drift = MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults())
 *     .check(MeshYaml.read(Files.readString(meshFile), meshFile.toString()));
 * }</pre>
 */
public final class MeshDriftCheck {
  /** The most stamped requests checked per service and format. */
  public static final int MAX_REQUESTS_PER_SERVICE = StampedRequests.MAX_PER_SERVICE;

  private final List<ServicePlan> plans;
  private final RoutingCheck routing;
  private final HeaderCheck headers;
  private final MeshOptions options;

  private MeshDriftCheck(FlagRoutes routes, HeaderCodec codec, MeshOptions options) {
    this.options = options;
    this.plans = ServicePlan.of(routes, codec);
    StampedRequests stamps = new StampedRequests(routes, codec, plans);
    Set<String> flagHeaders = Set.copyOf(codec.headerNames(routes));
    this.routing = new RoutingCheck(stamps, flagHeaders, name -> flagHeaders.contains(name) || codec.owns(name),
        options);
    this.headers = new HeaderCheck(routes, codec, stamps, flagHeaders);
  }

  /**
   * A check of mesh rules against {@code routes} stamped by {@code codec}; {@code options} give
   * the version label subsets and Services select on.
   *
   * @throws IllegalArgumentException if the routes themselves cannot be expressed as mesh rules
   */
  public static MeshDriftCheck of(FlagRoutes routes, HeaderCodec codec, MeshOptions options) {
    return new MeshDriftCheck(Objects.requireNonNull(routes, "routes"), Objects.requireNonNull(codec, "codec"),
        Objects.requireNonNull(options, "options"));
  }

  /**
   * The drift between the rules in {@code documents} and the routes; empty when they agree.
   *
   * @throws InvalidMeshException if a routing document cannot be evaluated
   */
  public List<Drift> check(List<? extends Map<String, ?>> documents) {
    List<MeshFormat> formats = MeshFormat.in(Resource.all(documents, new ArrayList<>()));
    List<Drift> drift = new ArrayList<>();
    if (formats.isEmpty()) {
      String kinds = ResourceKind.anyOf(MeshFormat.all().stream()
          .flatMap(format -> format.rules().routingKinds().stream()).distinct().toList());
      plans.forEach(plan -> drift.add(new Drift(Drift.Kind.MISSING_RULE, "service " + plan.service(),
          "no " + kinds + " routes it", "every request to " + plan.service())));
      return drift;
    }
    Map<MeshFormat, RuleTable> tables = new LinkedHashMap<>();
    for (MeshFormat format : formats) {
      RuleTable table = MeshRouteEvaluator.of(format, documents).table();
      tables.put(format, table);
      MisnamedHeaders misnamed = headers.misnamed(table.rules());
      plans.forEach(plan -> routing.check(format.rules(), table, plan, misnamed, drift));
      plans.forEach(plan -> drift.addAll(table.portDrift(plan.service(), options.port(plan.service()))));
      table.rules().forEach(rule -> headers.check(rule, format.rules(), misnamed, drift));
      drift.addAll(table.drift());
    }
    mixedIstioRoutes(tables, drift);
    return drift;
  }

  /**
   * A service routed both by an Istio VirtualService and by a Gateway API route: Istio does not
   * define which applies (in ambient mode, mixing them is unsupported), so both are suspect.
   */
  private void mixedIstioRoutes(Map<MeshFormat, RuleTable> tables, List<Drift> drift) {
    RuleTable istio = tables.get(MeshFormat.ISTIO);
    if (istio == null) {
      return;
    }
    for (Map.Entry<MeshFormat, RuleTable> other : tables.entrySet()) {
      boolean gatewayApi = other.getKey() == MeshFormat.GATEWAY_API || other.getKey() == MeshFormat.ISTIO_AMBIENT;
      for (ServicePlan plan : plans) {
        if (gatewayApi && istio.routes(plan.service()) && other.getValue().routes(plan.service())) {
          drift.add(new Drift(Drift.Kind.CONFLICT, "service " + plan.service(), "both a VirtualService and an"
              + " HTTPRoute or GRPCRoute (" + other.getKey().id() + ") route it; Istio does not define which one"
              + " applies, and in ambient mode mixing them is unsupported (VirtualService there is Alpha); generate"
              + " one format only (istio-ambient for waypoints)", "every request to " + plan.service()));
        }
      }
    }
  }
}
