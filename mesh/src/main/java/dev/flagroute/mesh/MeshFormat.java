package dev.flagroute.mesh;

import dev.flagroute.mesh.internal.ambient.IstioAmbientFormat;
import dev.flagroute.mesh.internal.consul.ConsulFormat;
import dev.flagroute.mesh.internal.gateway.GatewayApiFormat;
import dev.flagroute.mesh.internal.istio.IstioFormat;
import dev.flagroute.mesh.internal.smi.SmiFormat;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.RuleFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A mesh rule format flagroute generates, reads, evaluates and checks for drift. Each format
 * evaluates rules with its own mesh's semantics. Immutable; there is one instance per format (and
 * Gateway API target), so formats compare by identity.
 *
 * <p>{@link #GATEWAY_API}, {@link #LINKERD} and {@link #gatewayApi(GatewayApiVersion)} write the
 * same kinds for different Gateway API releases; they read alike, so documents of those kinds are
 * told to be {@link #GATEWAY_API} whichever wrote them.
 *
 * <pre>{@code
 * for (MeshFormat format : MeshFormat.all()) {
 *   Files.writeString(Path.of(format.id() + ".yaml"), generator.yaml(format));
 * }
 * }</pre>
 */
public final class MeshFormat {
  private static final List<MeshFormat> REGISTERED = new ArrayList<>();

  /**
   * Istio {@code networking.istio.io/v1}: DestinationRules with a subset per version, and
   * VirtualServices bound to the mesh, whose http routes are tried in order, first match winning;
   * of several VirtualServices for one host only the oldest is used, as sidecars do (Istio merges
   * them for gateways only), and the drift check reports the conflict. StringMatch {@code exact}, {@code prefix},
   * {@code regex} (RE2, whole value) and {@code {}} for presence; header keys are taken as written,
   * so a key that is not lowercase never matches; {@code withoutHeaders} as Envoy applies it;
   * {@code uri}, {@code method} and {@code queryParams} too.
   */
  public static final MeshFormat ISTIO = register(new IstioFormat());

  /**
   * Istio in ambient mode, where the destination's waypoint enforces L7 routing configured through
   * Gateway API: the waypoint {@code Gateway} ({@code gatewayClassName: istio-waypoint}), each
   * routed service's root Service labelled {@code istio.io/use-waypoint} and
   * {@code istio.io/ingress-use-waypoint: "true"} (so that traffic from an ingress gateway, too,
   * passes the waypoint), a Service per version, and the HTTPRoutes or GRPCRoutes of
   * {@link #GATEWAY_API} attached to the root Services. Never a VirtualService: Istio supports
   * those in ambient as Alpha only, and mixing them with Gateway API routes is undefined. Evaluated
   * as {@link #GATEWAY_API}, except that routes attached to a Service the documents show is bound
   * to no waypoint apply to nothing; documents holding a waypoint or a Service or Namespace bound
   * to one are read as this format (and their routes not as {@link #GATEWAY_API}).
   */
  public static final MeshFormat ISTIO_AMBIENT = register(new IstioAmbientFormat());

  /**
   * Kubernetes Gateway API {@code v1} in GAMMA mesh mode: a Service per version, and HTTPRoutes or
   * GRPCRoutes whose parentRefs name a Service ({@code group: ""}, {@code kind: Service}). The most
   * specific match wins, as the specification orders it; header names match ignoring case.
   * GRPCRoutes answer gRPC requests ({@code content-type: application/grpc...}) when a service has
   * both kinds. Targets {@link GatewayApiVersion#V1_6}: the output is valid for v1.1 as well unless
   * a mirror of less than 100% needs {@code RequestMirror}'s {@code percent}.
   */
  public static final MeshFormat GATEWAY_API = register(new GatewayApiFormat("gateway-api",
      "Gateway API (GAMMA) per-version Services and HTTPRoutes or GRPCRoutes, valid for 1.1 to 1.6"
          + " unless a mirror below 100% needs 1.6", GatewayApiVersion.V1_6, false));

  /**
   * Gateway API as Linkerd runs it: {@link #GATEWAY_API} targeting {@link GatewayApiVersion#V1_1},
   * the release Linkerd's {@code linkerd-crds} chart installs (GAMMA: routes attach to a Service,
   * backends are per-version Services). Mirrors are refused: Linkerd's policy controller refuses a
   * route with a {@code RequestMirror} filter and then ignores the whole route. Evaluated as
   * linkerd2-proxy matches headers: each value of a repeated header on its own, any matching value
   * satisfying the condition (Envoy joins them), so a request carrying a flag header twice can be routed by either value, while
   * the relay reads the values joined, as Envoy does. Give documents to
   * {@code MeshRouteEvaluator.of(MeshFormat.LINKERD, documents)} for these semantics; documents of
   * these kinds are otherwise evaluated as {@link #GATEWAY_API}.
   */
  public static final MeshFormat LINKERD = register(new GatewayApiFormat("linkerd",
      "Gateway API 1.1 as Linkerd installs it (GAMMA): per-version Services and HTTPRoutes or GRPCRoutes",
      GatewayApiVersion.V1_1, true), GATEWAY_API);

  /**
   * Consul service mesh on Kubernetes ({@code consul.hashicorp.com/v1alpha1}, consul-k8s 2.0):
   * per service a ServiceDefaults (protocol {@code http}, or {@code grpc} for gRPC services), a
   * ServiceResolver with a subset per version filtered on {@code Service.Meta.<version label>},
   * the stable version the default subset, and a ServiceRouter whose routes are tried in order,
   * the first match winning; a request no route matches goes to the default subset. Header names
   * match ignoring case; exact, prefix, suffix, regex (RE2, whole value) and present, each
   * invertible. Consul has no mirroring: routes that mirror a variant are refused.
   */
  public static final MeshFormat CONSUL = register(new ConsulFormat());

  /**
   * The Service Mesh Interface ({@code split.smi-spec.io/v1alpha4} TrafficSplit and
   * {@code specs.smi-spec.io/v1alpha4} HTTPRouteGroup): per service a TrafficSplit sending the
   * requests its HTTPRouteGroup matches to one per-version Service, and the root Service, which
   * serves every other request, selecting the stable version. Header values are regexes; the
   * generated ones are anchored, so they mean the same matched whole or in part. The specification
   * defines one split per root Service only, so a service whose flags reach more than one version
   * besides the stable one, or that mirrors a variant, is refused.
   */
  public static final MeshFormat SMI = register(new SmiFormat());

  private static final MeshFormat GATEWAY_API_V1_1 = new MeshFormat(new GatewayApiFormat("gateway-api",
      "Gateway API (GAMMA) per-version Services and HTTPRoutes or GRPCRoutes, valid for 1.1",
      GatewayApiVersion.V1_1, false), GATEWAY_API);

  private final RuleFormat rules;
  private final MeshFormat readsAs;

  private MeshFormat(RuleFormat rules, MeshFormat readsAs) {
    this.rules = rules;
    this.readsAs = readsAs == null ? this : readsAs;
  }

  private static MeshFormat register(RuleFormat rules) {
    return register(rules, null);
  }

  private static MeshFormat register(RuleFormat rules, MeshFormat readsAs) {
    MeshFormat format = new MeshFormat(rules, readsAs);
    REGISTERED.add(format);
    return format;
  }

  /**
   * Gateway API generating for {@code target}: {@link #GATEWAY_API} for {@link GatewayApiVersion#V1_6},
   * and a format of the same id writing only what v1.1 has for {@link GatewayApiVersion#V1_1}
   * (the output of {@link #LINKERD}). Not among {@link #all()}.
   */
  public static MeshFormat gatewayApi(GatewayApiVersion target) {
    return switch (target) {
      case V1_1 -> GATEWAY_API_V1_1;
      case V1_6 -> GATEWAY_API;
    };
  }

  /**
   * Every format, in registration order: {@link #ISTIO}, {@link #ISTIO_AMBIENT}, {@link #GATEWAY_API},
   * {@link #LINKERD}, {@link #CONSUL}, {@link #SMI}.
   */
  public static List<MeshFormat> all() {
    return Collections.unmodifiableList(REGISTERED);
  }

  /**
   * The format named {@code id}, ignoring case.
   *
   * @throws IllegalArgumentException naming the known formats
   */
  public static MeshFormat of(String id) {
    for (MeshFormat format : REGISTERED) {
      if (format.id().equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown mesh format '" + id + "'; expected one of "
        + REGISTERED.stream().map(MeshFormat::id).toList());
  }

  /** The name used on the command line, e.g. {@code istio}, {@code gateway-api} or {@code linkerd}. */
  public String id() {
    return rules.id();
  }

  /** What the format writes, in a few words, e.g. {@code Istio DestinationRules and VirtualServices}. */
  public String description() {
    return rules.description();
  }

  /** The format's plug-in. */
  RuleFormat rules() {
    return rules;
  }

  /** The format whose reading this one shares: itself, or {@link #GATEWAY_API} for the other Gateway API targets. */
  MeshFormat readsAs() {
    return readsAs;
  }

  /**
   * The formats whose routing documents are among {@code resources}, in registration order; of
   * formats that read alike, only the one they read as; Gateway API routes beside an ambient
   * waypoint only as {@link #ISTIO_AMBIENT}.
   */
  static List<MeshFormat> in(List<Resource> resources) {
    List<MeshFormat> found = new ArrayList<>(REGISTERED.stream()
        .filter(format -> format.readsAs == format && format.rules.appearsIn(resources)).toList());
    if (found.contains(ISTIO_AMBIENT)) {
      found.remove(GATEWAY_API);
    }
    return List.copyOf(found);
  }

  /** The id. */
  @Override
  public String toString() {
    return id();
  }
}
