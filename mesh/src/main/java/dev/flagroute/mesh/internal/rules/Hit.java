package dev.flagroute.mesh.internal.rules;

/**
 * A rule picked for a request, and the alternative that matched. Internal to flagroute-mesh.
 *
 * @param match the matching alternative, or {@code null} for a rule without matches
 */
public record Hit(MeshRule rule, MeshRule.Match match) {}
