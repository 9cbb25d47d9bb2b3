package dev.flagroute.mesh;

import java.util.Arrays;
import java.util.Locale;

/** The mesh rule formats flagroute generates. */
public enum MeshFormat {
  /** Istio {@code networking.istio.io/v1}: DestinationRules and VirtualServices. */
  ISTIO("istio"),
  /** Kubernetes Gateway API {@code v1} in GAMMA mesh mode: per-version Services and HTTPRoutes/GRPCRoutes. */
  GATEWAY_API("gateway-api");

  private final String id;

  MeshFormat(String id) {
    this.id = id;
  }

  /** The name used on the command line: {@code istio} or {@code gateway-api}. */
  public String id() {
    return id;
  }

  /**
   * The format named {@code id}, ignoring case.
   *
   * @throws IllegalArgumentException naming the known formats
   */
  public static MeshFormat of(String id) {
    for (MeshFormat format : values()) {
      if (format.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown mesh format '" + id + "'; expected one of "
        + Arrays.stream(values()).map(MeshFormat::id).toList());
  }
}
