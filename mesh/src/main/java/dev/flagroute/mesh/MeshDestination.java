package dev.flagroute.mesh;

/**
 * Where a mesh rule sends a request: an Istio destination or a Consul service subset (host and
 * subset), or a Gateway API backendRef or SMI backend (a Service name, {@code subset} null).
 *
 * @param host the Istio destination host or Consul service, or the backend Service name (as
 *     {@code name.namespace} when the rule names a namespace)
 * @param subset the Istio or Consul subset (for Consul, the default subset when the route names
 *     none), or {@code null}
 * @param port the port, or {@code null} if the rule leaves it to the mesh
 * @param weight the relative weight as written, or its default (Istio: 100 for a lone destination,
 *     else 0; Gateway API: 1; Consul: 100)
 */
public record MeshDestination(String host, String subset, Integer port, int weight) {}
