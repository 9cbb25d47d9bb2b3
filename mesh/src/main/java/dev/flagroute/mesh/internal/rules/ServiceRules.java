package dev.flagroute.mesh.internal.rules;

import dev.flagroute.mesh.MeshRequest;
import java.util.Optional;

/**
 * The rules that apply to one service's traffic, in the format's precedence, ready to pick one
 * for each request. Immutable and thread-safe. Internal to flagroute-mesh.
 */
@FunctionalInterface
public interface ServiceRules {
  /** The rule and alternative the mesh picks for {@code request}, or empty if no rule matches. */
  Optional<Hit> hit(MeshRequest request);
}
