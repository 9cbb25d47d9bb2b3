package dev.flagroute.mesh;

import dev.flagroute.internal.RouteNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How generated mesh resources are named, labelled and addressed. Immutable; start from
 * {@link #defaults()} or {@link #builder()}.
 *
 * <pre>{@code
 * MeshOptions options = MeshOptions.builder()
 *     .namespace("shop")
 *     .port(9080)
 *     .grpc("ratings")
 *     .build();
 * }</pre>
 */
public final class MeshOptions {
  /** The port Gateway API resources use when none is configured. */
  public static final int DEFAULT_PORT = 80;
  /** The name of the Istio ambient waypoint when none is configured, as {@code istioctl waypoint apply} names it. */
  public static final String DEFAULT_WAYPOINT = "waypoint";

  private static final Pattern LABEL_KEY =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern NAME_PREFIX = Pattern.compile("([a-z0-9]([-a-z0-9.]*[-a-z0-9.])?)?");
  private static final MeshOptions DEFAULTS = builder().build();

  private final String namespace;
  private final Integer port;
  private final Map<String, Integer> servicePorts;
  private final String namePrefix;
  private final String appLabel;
  private final String versionLabel;
  private final Map<String, String> labels;
  private final Set<String> grpcServices;
  private final String waypoint;

  private MeshOptions(Builder builder) {
    this.namespace = builder.namespace;
    this.port = builder.port;
    this.servicePorts = Collections.unmodifiableMap(new TreeMap<>(builder.servicePorts));
    this.namePrefix = builder.namePrefix;
    this.appLabel = builder.appLabel;
    this.versionLabel = builder.versionLabel;
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(builder.labels));
    this.grpcServices = Collections.unmodifiableSet(new LinkedHashSet<>(builder.grpcServices));
    this.waypoint = builder.waypoint;
  }

  /** No namespace, Istio ports left to the mesh, port 80 for Gateway API, labels {@code app}/{@code version}. */
  public static MeshOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The namespace written into every resource's metadata, or {@code null} to leave it to kubectl. */
  public String namespace() {
    return namespace;
  }

  /**
   * The port of {@code service}: its own, else the common one, else {@code null}. Istio
   * destinations name a port only when one is configured; Gateway API falls back to
   * {@link #DEFAULT_PORT}.
   */
  public Integer port(String service) {
    return servicePorts.getOrDefault(service, port);
  }

  /** Prepended to the service name to name generated routes and DestinationRules (Consul takes none). */
  public String namePrefix() {
    return namePrefix;
  }

  /** The pod label naming the application, selected by per-version Services ({@code app}). */
  public String appLabel() {
    return appLabel;
  }

  /**
   * The pod label naming the version, selected by Istio subsets and per-version Services
   * ({@code version}); for Consul, the service meta key subsets filter on, which pods get from
   * the annotation {@code consul.hashicorp.com/service-meta-<key>}.
   */
  public String versionLabel() {
    return versionLabel;
  }

  /** Labels added to every generated resource's metadata, in order. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The services whose routes are GRPCRoutes rather than HTTPRoutes in Gateway API, and whose Consul protocol is grpc. */
  public Set<String> grpcServices() {
    return grpcServices;
  }

  /** Whether {@code service} speaks gRPC. */
  public boolean isGrpc(String service) {
    return grpcServices.contains(service);
  }

  /**
   * The Istio ambient waypoint (a Gateway of class {@code istio-waypoint}) that routed Services
   * use, in the resources' namespace: {@value #DEFAULT_WAYPOINT} unless configured.
   */
  public String waypoint() {
    return waypoint;
  }

  /** A builder holding these options, to derive a changed copy. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.namespace = namespace;
    builder.port = port;
    builder.servicePorts.putAll(servicePorts);
    builder.namePrefix = namePrefix;
    builder.appLabel = appLabel;
    builder.versionLabel = versionLabel;
    builder.labels.clear();
    builder.labels.putAll(labels);
    builder.grpcServices.addAll(grpcServices);
    builder.waypoint = waypoint;
    return builder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MeshOptions other
        && Objects.equals(namespace, other.namespace)
        && Objects.equals(port, other.port)
        && servicePorts.equals(other.servicePorts)
        && namePrefix.equals(other.namePrefix)
        && appLabel.equals(other.appLabel)
        && versionLabel.equals(other.versionLabel)
        && labels.equals(other.labels)
        && grpcServices.equals(other.grpcServices)
        && waypoint.equals(other.waypoint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, port, servicePorts, namePrefix, appLabel, versionLabel, labels, grpcServices,
        waypoint);
  }

  @Override
  public String toString() {
    return "MeshOptions{namespace=" + namespace + ", port=" + port + ", servicePorts=" + servicePorts
        + ", namePrefix=" + namePrefix + ", appLabel=" + appLabel + ", versionLabel=" + versionLabel
        + ", labels=" + labels + ", grpc=" + grpcServices + ", waypoint=" + waypoint + "}";
  }

  /** Builds {@link MeshOptions}; each setter checks its argument at once. */
  public static final class Builder {
    private String namespace;
    private Integer port;
    private final Map<String, Integer> servicePorts = new TreeMap<>();
    private String namePrefix = "";
    private String appLabel = "app";
    private String versionLabel = "version";
    private final Map<String, String> labels = new LinkedHashMap<>(Map.of("app.kubernetes.io/managed-by", "flagroute"));
    private final Set<String> grpcServices = new LinkedHashSet<>();
    private String waypoint = DEFAULT_WAYPOINT;

    private Builder() {}

    /** The namespace of every generated resource (a DNS label), or {@code null} for none. */
    public Builder namespace(String namespace) {
      if (namespace != null && !RouteNames.VERSION.matcher(namespace).matches()) {
        throw new IllegalArgumentException("namespace '" + namespace + "' must be a lowercase DNS label such as 'shop'");
      }
      this.namespace = namespace;
      return this;
    }

    /** The port of every service without its own port. */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /** The port of one service. */
    public Builder port(String service, int port) {
      servicePorts.put(checkService(service), checkPort(port));
      return this;
    }

    /** Prepended to generated route and DestinationRule names, e.g. {@code "flags-"}. */
    public Builder namePrefix(String prefix) {
      if (prefix == null || !NAME_PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("name prefix '" + prefix + "' must be lowercase letters, digits, '-' or '.'");
      }
      this.namePrefix = prefix;
      return this;
    }

    /** The pod label naming the application (default {@code app}). */
    public Builder appLabel(String key) {
      this.appLabel = checkLabelKey(key);
      return this;
    }

    /** The pod label naming the version (default {@code version}). */
    public Builder versionLabel(String key) {
      this.versionLabel = checkLabelKey(key);
      return this;
    }

    /** Adds a metadata label to every generated resource; the default set has {@code app.kubernetes.io/managed-by: flagroute}. */
    public Builder label(String key, String value) {
      if (value == null || !LABEL_VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException("label value '" + value + "' must be at most 63 letters, digits, '-', '_' or '.'");
      }
      labels.put(checkLabelKey(key), value);
      return this;
    }

    /** Removes every metadata label, including the default one. */
    public Builder clearLabels() {
      labels.clear();
      return this;
    }

    /** Marks services as gRPC: Gateway API gets a GRPCRoute for them instead of an HTTPRoute. */
    public Builder grpc(String... services) {
      for (String service : services) {
        grpcServices.add(checkService(service));
      }
      return this;
    }

    /** The Istio ambient waypoint routed Services use (a DNS label; default {@value MeshOptions#DEFAULT_WAYPOINT}). */
    public Builder waypoint(String name) {
      if (name == null || !RouteNames.VERSION.matcher(name).matches() || name.equals("none")) {
        throw new IllegalArgumentException("waypoint '" + name + "' must be a lowercase DNS label such as 'waypoint'"
            + " ('none' opts a Service out of waypoints)");
      }
      this.waypoint = name;
      return this;
    }

    /** The options. */
    public MeshOptions build() {
      return new MeshOptions(this);
    }

    private static int checkPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " must be between 1 and 65535");
      }
      return port;
    }

    private static String checkService(String service) {
      if (service == null || !RouteNames.SERVICE.matcher(service).matches()) {
        throw new IllegalArgumentException("service '" + service + "' must be a lowercase DNS name such as 'reviews'");
      }
      return service;
    }

    private static String checkLabelKey(String key) {
      if (key == null || key.length() > 316 || !LABEL_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("label key '" + key + "' must be a Kubernetes label key such as 'version'"
            + " or 'example.com/version'");
      }
      return key;
    }
  }
}
