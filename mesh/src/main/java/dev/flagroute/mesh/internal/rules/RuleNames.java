package dev.flagroute.mesh.internal.rules;

import java.util.Set;

/**
 * Names of generated rules that must be unique within their resource (Istio http routes, SMI
 * matches). Names are built from flag keys and variants joined with {@code '-'}, which both may
 * contain, so two flags can give the same name ({@code a-b} with {@code c}, {@code a} with
 * {@code b-c}); the later one gets the first free suffix {@code -2}, {@code -3}, ... Names follow
 * the plan's order, so they are the same on every run. Internal to flagroute-mesh.
 */
public final class RuleNames {
  private RuleNames() {}

  /** {@code name}, or it with the first free numeric suffix, added to {@code used}. */
  public static String unique(String name, Set<String> used) {
    String candidate = name;
    for (int n = 2; !used.add(candidate); n++) {
      candidate = name + "-" + n;
    }
    return candidate;
  }
}
