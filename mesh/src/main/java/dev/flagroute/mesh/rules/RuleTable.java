package dev.flagroute.mesh.rules;

import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshOptions;
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
   * The versions of {@code service} that the weighted destinations of {@code rule} reach: the
   * {@link MeshOptions#versionLabel() version label} of each, or a description of a destination
   * that is no known version of the service (such as {@code undefined subset v4}).
   */
  Set<String> versions(String service, MeshRule rule, MeshOptions options);

  /**
   * The drift only this format can have: destinations the documents do not define, and rules the
   * format's precedence never picks.
   */
  List<Drift> drift();
}
