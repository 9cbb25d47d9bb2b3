package dev.flagroute.mesh;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Generates mesh routing rules from the same {@link FlagRoutes} and {@link HeaderCodec} the router
 * uses, so that the headers the application stamps and the headers the mesh matches cannot drift
 * apart. Immutable and thread-safe.
 *
 * <p><b>Precedence when several flags steer one service.</b> A request goes to the version
 * {@link dev.flagroute.routes.ServiceRoutes#version ServiceRoutes} names: that of the first flag,
 * in declaration order, whose variant is not its default; with none, the service's stable version.
 * The rules are one per non-default variant, each matching its flag's header alone, in
 * declaration order, the stable version's catch-all last: Istio's http routes and Consul's
 * ServiceRouter routes take the first match, and Gateway API ranks equally specific matches (one
 * header match each) by rule order within a route, so each format picks the first flag carrying a
 * non-default variant, as {@link MeshRouteEvaluator} does, without a rule per combination of
 * flags. The deciding variant's {@link dev.flagroute.routes.Mirror mirror}, if any, is written on
 * the same rule.
 *
 * <p><b>What a format cannot express is refused,</b> with an {@link IllegalArgumentException}
 * naming the service and the reason, never approximated: a mirror in Consul or SMI (neither
 * mirrors), a mirror below 100% for Gateway API 1.1, SMI routes the specification leaves
 * undefined (more than one version besides the stable one, or a flag keeping a variant on the
 * stable version ahead of a flag that leaves it), a Consul name prefix or a version label that is
 * no Consul service meta key, and a format's size limits. Every codec works with every format:
 * each of them matches exact values and RE2 regexes.
 *
 * <pre>{@code
 * MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults());
 * String yaml = MeshYaml.write(generator.generate(MeshFormat.ISTIO));
 * }</pre>
 */
public final class MeshGenerator {
  private final List<ServicePlan> plans;
  private final MeshOptions options;

  private MeshGenerator(List<ServicePlan> plans, MeshOptions options) {
    this.plans = plans;
    this.options = options;
  }

  /**
   * A generator for {@code routes} stamped with {@code codec}.
   *
   * @throws IllegalArgumentException if the routes cannot be expressed as mesh rules: a gRPC
   *     service is not routed, or the codec matches on a header name meshes cannot match
   */
  public static MeshGenerator of(FlagRoutes routes, HeaderCodec codec, MeshOptions options) {
    Objects.requireNonNull(routes, "routes");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(options, "options");
    for (String grpc : options.grpcServices()) {
      if (!routes.services().contains(grpc)) {
        throw new IllegalArgumentException("gRPC service '" + grpc + "' is not steered by any flag; routed services are "
            + routes.services());
      }
    }
    return new MeshGenerator(ServicePlan.of(routes, codec), options);
  }

  /**
   * The documents of {@code format}, freshly built on each call: backing resources first
   * (DestinationRules, or per-version Services), then routes, each group in service order.
   *
   * @throws IllegalArgumentException if the format cannot express a service's routes, or a service
   *     exceeds a limit of the format; the message says which and why
   */
  public List<Map<String, Object>> generate(MeshFormat format) {
    return format.rules().generate(plans, options);
  }

  /** The documents of {@code format} as multi-document YAML; see {@link MeshYaml#write(List)}. */
  public String yaml(MeshFormat format) {
    return MeshYaml.write(generate(format));
  }
}
