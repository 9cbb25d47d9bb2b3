package dev.flagroute.mesh;

import dev.flagroute.mesh.gateway.GatewayApiFormat;
import dev.flagroute.mesh.istio.IstioFormat;
import dev.flagroute.mesh.rules.Resource;
import dev.flagroute.mesh.rules.RuleFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A mesh rule format flagroute generates, reads, evaluates and checks for drift. Each format
 * evaluates rules with its own mesh's semantics. Immutable; there is one instance per format, so
 * formats compare by identity.
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
   * VirtualServices bound to the mesh, whose http routes are tried in order, first match winning
   * (VirtualServices of one host merged oldest first). StringMatch {@code exact}, {@code prefix},
   * {@code regex} (RE2, whole value) and {@code {}} for presence; header keys are taken as written,
   * so a key that is not lowercase never matches; {@code withoutHeaders} as Envoy applies it;
   * {@code uri}, {@code method} and {@code queryParams} too.
   */
  public static final MeshFormat ISTIO = register(new IstioFormat());

  /**
   * Kubernetes Gateway API {@code v1} in GAMMA mesh mode: a Service per version, and HTTPRoutes or
   * GRPCRoutes whose parentRefs name a Service ({@code group: ""}, {@code kind: Service}). The most
   * specific match wins, as the specification orders it; header names match ignoring case.
   * GRPCRoutes answer gRPC requests ({@code content-type: application/grpc...}) when a service has
   * both kinds.
   */
  public static final MeshFormat GATEWAY_API = register(new GatewayApiFormat());

  private final RuleFormat rules;

  private MeshFormat(RuleFormat rules) {
    this.rules = rules;
  }

  private static MeshFormat register(RuleFormat rules) {
    MeshFormat format = new MeshFormat(rules);
    REGISTERED.add(format);
    return format;
  }

  /** Every format, in registration order: {@link #ISTIO}, {@link #GATEWAY_API}, ... */
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

  /** The name used on the command line, e.g. {@code istio} or {@code gateway-api}. */
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

  /** The formats whose routing documents are among {@code resources}, in registration order. */
  static List<MeshFormat> in(List<Resource> resources) {
    return REGISTERED.stream().filter(format -> format.rules.appearsIn(resources)).toList();
  }

  /** The id. */
  @Override
  public String toString() {
    return id();
  }
}
