/**
 * The format-neutral model every mesh rule format shares, and the plug-in interfaces a format
 * implements: {@link dev.flagroute.mesh.internal.rules.RuleFormat} (generate, read, header-name rules) and
 * {@link dev.flagroute.mesh.internal.rules.RuleTable} (evaluate, versions reached, format-specific drift).
 *
 * <p>Internal to flagroute-mesh: not part of its API, and may change in any release. A new format
 * is one class implementing {@code RuleFormat} in a package of its own (with what it needs beside
 * it), plus one registration line in {@code dev.flagroute.mesh.MeshFormat}.
 */
package dev.flagroute.mesh.internal.rules;
