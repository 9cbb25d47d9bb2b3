package dev.flagroute.mesh;

/**
 * Where a mesh rule sends a copy of the requests it routes (a dark launch): an Istio mirror
 * destination (host and subset) or a Gateway API {@code RequestMirror} backendRef (a Service name,
 * {@code subset} null). The mesh throws the copies' responses away.
 *
 * @param host the Istio destination host, or the mirror Service's name (as {@code name.namespace}
 *     when the backendRef names a namespace)
 * @param subset the Istio subset, or {@code null}
 * @param port the port, or {@code null} if the rule leaves it to the mesh
 * @param percent the share of the rule's requests copied, 0 to 100 (100 when the rule names none)
 */
public record MeshMirror(String host, String subset, Integer port, double percent) {}
