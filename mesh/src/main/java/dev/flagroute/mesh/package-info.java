/**
 * Mesh rules from flag routes: {@link dev.flagroute.mesh.MeshGenerator} writes them for a
 * {@link dev.flagroute.mesh.MeshFormat} (Gateway API for a {@link dev.flagroute.mesh.GatewayApiVersion})
 * with {@link dev.flagroute.mesh.MeshOptions};
 * {@link dev.flagroute.mesh.MeshRouteEvaluator} tells which rule a mesh picks for a
 * {@link dev.flagroute.mesh.MeshRequest} ({@link dev.flagroute.mesh.MeshRoute},
 * {@link dev.flagroute.mesh.MeshDestination}, {@link dev.flagroute.mesh.MeshMirror}); {@link dev.flagroute.mesh.MeshDriftCheck} reports
 * each {@link dev.flagroute.mesh.Drift} of existing rules; {@link dev.flagroute.mesh.MeshYaml} reads
 * and writes the YAML, failing with {@link dev.flagroute.mesh.InvalidMeshException}.
 */
package dev.flagroute.mesh;
