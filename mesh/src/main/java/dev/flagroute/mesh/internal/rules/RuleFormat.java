package dev.flagroute.mesh.internal.rules;

import dev.flagroute.mesh.MeshOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One mesh rule format as a plug-in: it writes rules for planned services, tells its routing
 * documents apart, reads them into a {@link RuleTable} that evaluates requests with the format's
 * own semantics, and says which header names the format can never match. Implementations are
 * immutable and thread-safe; a format is registered once in {@code dev.flagroute.mesh.MeshFormat}.
 * Internal to flagroute-mesh.
 */
public interface RuleFormat {
  /** The format's name on the command line and in messages, e.g. {@code istio}: lowercase, digits and '-'. */
  String id();

  /** What the format writes, in a few words for usage texts, e.g. {@code Istio DestinationRules and VirtualServices}. */
  String description();

  /** The kinds whose documents hold this format's routing rules: documents of these kinds select the format. */
  List<ResourceKind> routingKinds();

  /**
   * The documents for {@code plans}, freshly built on each call, in apply order: backing resources
   * (subsets, per-version Services) before the routes that use them, each group in plan order.
   *
   * @throws IllegalArgumentException if a service exceeds a limit of the format
   */
  List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options);

  /**
   * Reads this format's documents among {@code resources}, ignoring other kinds. A document that
   * cannot be evaluated is recorded as a problem on its {@link Resource#spec() spec} node, never thrown.
   */
  RuleTable read(List<Resource> resources);

  /**
   * Why a header condition on {@code name}, as a document writes it, can never match under this
   * format, or empty when it can (e.g. Istio: a key that is not lowercase).
   */
  default Optional<String> headerNameProblem(String name) {
    return Optional.empty();
  }

  /** Whether some of {@code resources} are of this format's routing kinds. */
  default boolean appearsIn(List<Resource> resources) {
    return resources.stream().anyMatch(r -> routingKinds().stream().anyMatch(kind -> kind.matches(r)));
  }
}
