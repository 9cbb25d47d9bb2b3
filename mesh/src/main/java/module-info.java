/**
 * flagroute's mesh rules: generated from the same flag routes and header codec the routers use,
 * read back, evaluated the way each mesh evaluates them, and checked for drift; and the
 * {@code flagroute} command line.
 *
 * <p>The API is the package {@code dev.flagroute.mesh}: {@code MeshGenerator}, {@code MeshFormat}
 * (Istio, Gateway API, Linkerd, Consul, SMI), {@code GatewayApiVersion}, {@code MeshOptions},
 * {@code MeshRouteEvaluator}, {@code MeshRequest}, {@code MeshRoute}, {@code MeshDestination},
 * {@code MeshMirror}, {@code MeshDriftCheck}, {@code Drift}, {@code MeshYaml} and
 * {@code InvalidMeshException}. The formats' own code, the shared rule model and the command line
 * ({@code dev.flagroute.mesh.cli.Main}, run as {@code java -jar flagroute-mesh-<version>-cli.jar})
 * are not exported.
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
