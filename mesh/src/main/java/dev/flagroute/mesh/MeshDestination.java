package dev.flagroute.mesh;

/**
 * Where a mesh rule sends a request: an Istio destination (host and subset) or a Gateway API
 * backendRef (a Service name, {@code subset} null).
 *
 * @param host the Istio destination host, or the backend Service name (as {@code name.namespace}
 *     when the backendRef names a namespace)
 * @param subset the Istio subset, or {@code null}
 * @param port the port, or {@code null} if the rule leaves it to the mesh
 * @param weight the relative weight as written, or its default (Istio: 100 for a lone destination,
 *     else 0; Gateway API: 1)
 */
public record MeshDestination(String host, String subset, Integer port, int weight) {}
