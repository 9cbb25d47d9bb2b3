package dev.flagroute.demo.k8s;

import dev.flagroute.demo.app.Shop;
import dev.flagroute.demo.run.ClusterService;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshYaml;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's Kubernetes manifests, generated from the routes and flags files:
 * {@code workloads.yaml} (the flags ConfigMap, a Deployment per service version and a Service per
 * service), and the mesh rules flagroute generates in every format, {@code <format>.yaml}:
 * {@code istio.yaml}, {@code istio-ambient.yaml}, {@code gateway-api.yaml}, {@code linkerd.yaml},
 * {@code consul.yaml} and {@code smi.yaml}. A format that cannot mirror (linkerd, consul, smi) gets the rules of the routes
 * less their mirrors ({@link FormatRoutes}), and its file's header says so, quoting the
 * generator's refusal. Apply the workloads, then the file of the cluster's mesh. Pods carry the
 * annotation {@code consul.hashicorp.com/service-meta-version}, from which Consul's subsets select
 * versions; other meshes ignore it.
 */
public final class Manifests {
  /** The container image every Deployment runs; built from {@code examples/demo/Dockerfile}. */
  public static final String IMAGE = "flagroute-demo:dev";
  /** Where the frontend container finds the flags file. */
  public static final String FLAGS_PATH = "/etc/flagroute/flags.flagd.json";

  /** The optional Secret whose key {@code secret} turns on override tokens at the frontend. */
  public static final String OVERRIDE_SECRET = "flagroute-demo-override";

  private static final String FLAGS_CONFIG_MAP = "flagroute-demo-flags";
  /** The annotation consul-k8s turns into service meta, which the generated ServiceResolvers filter on. */
  private static final String CONSUL_META_VERSION = "consul.hashicorp.com/service-meta-version";
  /** How each format's file is applied, after workloads.yaml. */
  private static final Map<MeshFormat, String> HOW = Map.of(
      MeshFormat.ISTIO, "Istio routing (DestinationRules, then VirtualServices)",
      MeshFormat.ISTIO_AMBIENT, "Istio ambient routing (the waypoint, the Services bound to it, per-version Services,"
          + " then HTTPRoutes and GRPCRoutes)",
      MeshFormat.GATEWAY_API, "Gateway API (GAMMA) routing for Gateway API 1.1 to 1.6 (per-version Services,"
          + " then routes)",
      MeshFormat.LINKERD, "Linkerd routing: Gateway API as linkerd-crds installs it (v1.1.1)",
      MeshFormat.CONSUL, "Consul routing (ServiceDefaults, ServiceResolvers, then ServiceRouters)",
      MeshFormat.SMI, "SMI routing (per-version Services, the root Services narrowed to the stable version,"
          + " HTTPRouteGroups, then TrafficSplits)");

  private Manifests() {}

  /** File name to content, in apply order. */
  public static Map<String, String> generate(FlagRoutes routes, String flagsJson) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("workloads.yaml", header("the frontend, reviews and ratings workloads, and the flags ConfigMap")
        + MeshYaml.write(workloads(routes, flagsJson)));
    for (MeshFormat format : MeshFormat.all()) {
      FormatRoutes generated = FormatRoutes.of(routes, format);
      String unmirrored = generated.mirrorRefusal().map(why -> "# Generated from the routes less their mirrors, as "
          + format.id() + " cannot mirror (no dark launch here):\n#   " + why + "\n").orElse("");
      files.put(format.id() + ".yaml", header(HOW.getOrDefault(format, format.description())
          + ": apply after workloads.yaml, instead of the other formats' files") + unmirrored
          + FormatRoutes.generator(generated.routes()).yaml(format));
    }
    return files;
  }

  private static String header(String what) {
    return "# " + what + ".\n"
        + "# Generated from examples/demo/routes.yaml and flags.flagd.json by dev.flagroute.demo.k8s.Manifests;\n"
        + "# do not edit: ManifestsTest fails when this file and the generator disagree.\n";
  }

  private static List<Map<String, Object>> workloads(FlagRoutes routes, String flagsJson) {
    List<Map<String, Object>> docs = new ArrayList<>();
    docs.add(resource("v1", "ConfigMap", FLAGS_CONFIG_MAP, Map.of(),
        "data", map("flags.flagd.json", flagsJson)));
    docs.add(deployment(Shop.FRONTEND, null, List.of("serve", Shop.FRONTEND, "--flags", FLAGS_PATH)));
    for (String service : List.of(Shop.REVIEWS, Shop.RATINGS)) {
      for (String version : Shop.versions(routes, service)) {
        docs.add(deployment(service, version, List.of("serve", service, "--version", version)));
      }
    }
    docs.add(service(Shop.FRONTEND, "http"));
    docs.add(service(Shop.REVIEWS, "http"));
    // the port name tells sidecars the protocol (Istio reads the "grpc" prefix)
    docs.add(service(Shop.RATINGS, "grpc"));
    return docs;
  }

  private static Map<String, Object> deployment(String app, String version, List<String> args) {
    Map<String, Object> labels = map("app", app, "version", version == null ? "v1" : version);
    Map<String, Object> container = map("name", app, "image", IMAGE, "imagePullPolicy", "IfNotPresent",
        "args", new ArrayList<>(args),
        "ports", new ArrayList<>(List.of(map("name", app.equals(Shop.RATINGS) ? "grpc" : "http",
            "containerPort", Shop.PORT))));
    Map<String, Object> pod = map("containers", new ArrayList<>(List.of(container)));
    if (app.equals(Shop.FRONTEND)) {
      container.put("env", new ArrayList<>(List.of(map("name", ClusterService.OVERRIDE_SECRET_ENV, "valueFrom",
          map("secretKeyRef", map("name", OVERRIDE_SECRET, "key", "secret", "optional", true))))));
      container.put("volumeMounts", new ArrayList<>(List.of(map("name", "flags", "mountPath", "/etc/flagroute"))));
      pod.put("volumes", new ArrayList<>(List.of(map("name", "flags", "configMap", map("name", FLAGS_CONFIG_MAP)))));
    }
    String name = version == null ? app : app + "-" + version;
    Map<String, Object> podMetadata = map("labels", new LinkedHashMap<>(labels),
        "annotations", map(CONSUL_META_VERSION, labels.get("version")));
    return resource("apps/v1", "Deployment", name, labels, "spec", map(
        "replicas", 1,
        "selector", map("matchLabels", new LinkedHashMap<>(labels)),
        "template", map("metadata", podMetadata, "spec", pod)));
  }

  private static Map<String, Object> service(String app, String portName) {
    Map<String, Object> port = map("name", portName, "port", Shop.PORT, "targetPort", Shop.PORT);
    return resource("v1", "Service", app, map("app", app), "spec",
        map("selector", map("app", app), "ports", new ArrayList<>(List.of(port))));
  }

  private static Map<String, Object> resource(String apiVersion, String kind, String name, Map<String, Object> labels,
      String bodyKey, Map<String, Object> body) {
    Map<String, Object> metadata = map("name", name);
    Map<String, Object> allLabels = new LinkedHashMap<>(labels);
    allLabels.put("app.kubernetes.io/part-of", "flagroute-demo");
    metadata.put("labels", allLabels);
    return map("apiVersion", apiVersion, "kind", kind, "metadata", metadata, bodyKey, body);
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
