package dev.flagroute.mesh;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Gateway API release that generated HTTPRoutes and GRPCRoutes must be valid for: fields added
 * after it are written only where a feature needs them and the target has them, and a feature the
 * target lacks is refused. Either target writes what both releases accept unless a feature needs more.
 *
 * <pre>{@code
 * MeshFormat linkerdReady = MeshFormat.gatewayApi(GatewayApiVersion.V1_1);
 * }</pre>
 */
public enum GatewayApiVersion {
  /**
   * v1.1 (v1.1.1, experimental channel): what Linkerd's {@code linkerd-crds} chart installs. It
   * has no {@code percent} or {@code fraction} on {@code RequestMirror}, so a mirror copies every
   * request or none, and a rule holds at most 8 matches; also the target for clusters on v1.2 to v1.5.
   */
  V1_1("1.1"),
  /**
   * v1.6 (v1.6.1, standard channel), the newest: {@code RequestMirror} takes a {@code percent}, and
   * a rule holds up to 64 matches (128 in a route).
   */
  V1_6("1.6");

  private static final Pattern VERSION = Pattern.compile("v?([0-9]{1,3})\\.([0-9]{1,3})(\\.[0-9]{1,3})?");

  private final String id;

  GatewayApiVersion(String id) {
    this.id = id;
  }

  /** The release as {@code major.minor}, e.g. {@code 1.1}. */
  public String id() {
    return id;
  }

  /**
   * The target named {@code text}: {@code 1.1}, {@code v1.1} or {@code 1.1.1}, and likewise for 1.6.
   *
   * @throws IllegalArgumentException naming the targets, and which to use for a release between them
   */
  public static GatewayApiVersion of(String text) {
    Matcher matcher = VERSION.matcher(text == null ? "" : text.trim());
    if (matcher.matches()) {
      String minor = matcher.group(1) + "." + matcher.group(2);
      for (GatewayApiVersion version : values()) {
        if (version.id.equals(minor)) {
          return version;
        }
      }
    }
    throw new IllegalArgumentException("unknown Gateway API version '" + text + "'; expected one of "
        + Arrays.stream(values()).map(GatewayApiVersion::id).toList()
        + " (for a cluster on 1.2 to 1.5, target 1.1: later releases accept what 1.1 does)");
  }

  /** The id, e.g. {@code 1.6}. */
  @Override
  public String toString() {
    return id;
  }
}
