/**
 * The {@code flagroute} command line: {@code generate} mesh rules from a routes file,
 * {@code check} applied rules for drift, mint override {@code token}s, and write {@code rules} for
 * Prometheus, a Grafana dashboard and Argo Rollouts / Flagger analysis templates. It uses only the API of
 * {@code dev.flagroute.mesh} and {@code dev.flagroute.core}, and exports nothing: its interface is
 * the command line, run as {@code java -jar flagroute-cli-<version>.jar}, a jar that bundles every
 * library it needs with their licences ({@code META-INF/THIRD-PARTY.txt}).
 */
module dev.flagroute.cli {
  requires dev.flagroute.mesh;
}
