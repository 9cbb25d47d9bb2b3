package dev.flagroute.mesh.internal.rules;

import static dev.flagroute.mesh.internal.rules.Docs.list;
import static dev.flagroute.mesh.internal.rules.Docs.map;

import dev.flagroute.mesh.MeshOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Core {@code v1} Services for formats that route to a Service per version (Gateway API, Istio
 * ambient, SMI):
 * {@code <service>-<version>} selecting the app and version labels, on the service's port, named
 * {@code grpc} with {@code appProtocol: kubernetes.io/h2c} for gRPC services. Internal to flagroute-mesh.
 */
public final class VersionServices {
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  private VersionServices() {}

  /** The per-version Service of {@code version}: {@code reviews-v2}. */
  public static String name(String service, String version) {
    return service + "-" + version;
  }

  /** The port of {@code service}: its own, else the common one, else {@link MeshOptions#DEFAULT_PORT}. */
  public static int port(String service, MeshOptions options) {
    Integer port = options.port(service);
    return port == null ? MeshOptions.DEFAULT_PORT : port;
  }

  /**
   * A Service per version of {@code plan}'s service, in the order of its versions.
   *
   * @param format the format's name for messages, e.g. {@code Gateway API}
   * @throws IllegalArgumentException if the service or a per-version Service is not a Service name
   */
  public static List<Map<String, Object>> of(ServicePlan plan, MeshOptions options, String format) {
    checkName(plan.service(), "service", format);
    List<Map<String, Object>> services = new ArrayList<>();
    for (String version : plan.routes().versions()) {
      services.add(service(name(plan.service(), version), plan.service(), version, options, format));
    }
    return services;
  }

  /**
   * A Service named {@code name} selecting the pods of {@code version} of {@code service}.
   *
   * @throws IllegalArgumentException if {@code name} is not a Service name
   */
  public static Map<String, Object> service(String name, String service, String version, MeshOptions options,
      String format) {
    checkName(name, name.equals(service) ? "service" : "per-version Service", format);
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(options.appLabel(), service);
    selector.put(options.versionLabel(), version);
    return Docs.resource("v1", "Service", name, options, selector,
        map("selector", new LinkedHashMap<String, Object>(selector), "ports", list(servicePort(service, options))));
  }

  /**
   * The root Service of {@code plan}'s service, named after it and selecting every version (routes
   * attach to it; their backends are the per-version Services), with {@code extraLabels} added to
   * its metadata.
   *
   * @throws IllegalArgumentException if the service's name is not a Service name
   */
  public static Map<String, Object> root(ServicePlan plan, MeshOptions options, String format,
      Map<String, String> extraLabels) {
    String service = plan.service();
    checkName(service, "service", format);
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(options.appLabel(), service);
    Map<String, String> labels = new LinkedHashMap<>(selector);
    labels.putAll(extraLabels);
    return Docs.resource("v1", "Service", service, options, labels,
        map("selector", new LinkedHashMap<String, Object>(selector), "ports", list(servicePort(service, options))));
  }

  /** The service's port entry: named {@code grpc} with {@code appProtocol: kubernetes.io/h2c} for gRPC services. */
  private static Map<String, Object> servicePort(String service, MeshOptions options) {
    boolean grpc = options.isGrpc(service);
    int port = port(service, options);
    return map("name", grpc ? "grpc" : "http", "port", port, "targetPort", port,
        "appProtocol", grpc ? "kubernetes.io/h2c" : null);
  }

  private static void checkName(String name, String what, String format) {
    if (!SERVICE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name + "' is not a Kubernetes Service name (a DNS label"
          + " of at most 63 characters starting with a letter); " + format + " routes name Services, so name the"
          + " service without dots and set the namespace in MeshOptions");
    }
  }
}
