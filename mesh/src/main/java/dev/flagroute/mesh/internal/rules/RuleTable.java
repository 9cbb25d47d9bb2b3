package dev.flagroute.mesh.internal.rules;

import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of one format read from documents, ready to evaluate: which rule the mesh picks for a
 * request, where a rule's destinations lead, and the drift only this format can have. Immutable
 * and thread-safe once read. Internal to flagroute-mesh.
 */
public interface RuleTable {
  /** Whether some rule names {@code service} itself (a host, a parent Service), not through a wildcard. */
  boolean routes(String service);

  /**
   * The rules that apply to traffic for {@code service} ({@code reviews}, {@code reviews.shop} or a
   * full host name), in the format's precedence.
   */
  ServiceRules rulesFor(String service);

  /** Every rule read, in the order the format reads them, for checks rule by rule. */
  List<MeshRule> rules();

  /**
   * The version of {@code service} that {@code destination} reaches: the
   * {@link MeshOptions#versionLabel() version label} its pods are selected by, or a description of
   * a destination that is no known version of the service (such as {@code undefined subset v4}).
   */
  String versionOf(String service, MeshDestination destination, MeshOptions options);

  /** The versions (see {@link #versionOf}) that the destinations of {@code rule} with a positive weight reach. */
  default Set<String> versions(String service, MeshRule rule, MeshOptions options) {
    Set<String> versions = new LinkedHashSet<>();
    for (MeshDestination destination : rule.destinations()) {
      if (destination.weight() > 0) {
        versions.add(versionOf(service, destination, options));
      }
    }
    return versions;
  }

  /** The version (see {@link #versionOf}) that the copies {@code mirror} sends reach. */
  default String versionOf(String service, MeshMirror mirror, MeshOptions options) {
    return versionOf(service, new MeshDestination(mirror.host(), mirror.subset(), mirror.port(), 1), options);
  }

  /**
   * The drift only this format can have: destinations the documents do not define, and rules the
   * format's precedence never picks.
   */
  List<Drift> drift();

  /**
   * Where the rules for {@code service} use another port than {@code port} (its configured port,
   * {@code null} when none is configured: then only ports a Service the documents define does not
   * expose), for formats whose rules name ports; empty by default.
   */
  default List<Drift> portDrift(String service, Integer port) {
    return List.of();
  }
}
