/**
 * flagroute's mesh rules: generated from the same flag routes and header codec the routers use,
 * read back, evaluated the way each mesh evaluates them, and checked for drift. The
 * {@code flagroute} command line over this API is the module {@code flagroute-cli}.
 *
 * <p>The API is the package {@code dev.flagroute.mesh}: {@code MeshGenerator}, {@code MeshFormat}
 * (Istio, Istio ambient, Gateway API, Linkerd, Consul, SMI), {@code GatewayApiVersion}, {@code MeshOptions},
 * {@code MeshRouteEvaluator}, {@code MeshRequest}, {@code MeshRoute}, {@code MeshDestination},
 * {@code MeshMirror}, {@code MeshDriftCheck}, {@code Drift}, {@code MeshYaml} and
 * {@code InvalidMeshException}. Everything else lives under {@code dev.flagroute.mesh.internal}
 * (each format's plug-in, the shared rule model, the drift check's internals) and is not exported.
 *
 * <p>RE2J publishes no module name yet (google/re2j#176), so on the module path it is the
 * automatic module {@code re2j}, named after its jar.
 */
@SuppressWarnings("requires-automatic")
module dev.flagroute.mesh {
  requires transitive dev.flagroute.core;
  requires org.snakeyaml.engine;
  requires re2j;

  exports dev.flagroute.mesh;
}
