package dev.flagroute.codec;

import static dev.flagroute.internal.Re2Syntax.inClass;
import static dev.flagroute.internal.Re2Syntax.quote;

/**
 * The mesh pattern recognising one variant of one flag in a member-list header, written to mean
 * exactly what {@link MemberListCodec}'s relay reads: the value is a comma-separated list; the
 * members before the flag's first member are members of other keys (a member's key is what
 * precedes its first {@code '='}, without surrounding spaces and tabs, compared case-sensitively);
 * the flag's first member is {@code key OWS "=" OWS variant OWS}, optionally followed by
 * {@code ";"} and properties; anything may follow it. Every literal is escaped, so that any legal
 * prefix, key and variant stands for itself. The pattern is matched against the whole value
 * (Envoy's {@code safe_regex}, Gateway API's {@code RegularExpression}, Consul's {@code regex});
 * it needs no look-around, which RE2 lacks.
 *
 * <p>What each mesh matches against: Envoy (Istio, Consul, Envoy-based Gateway API and SMI
 * implementations) joins the values of a repeated header with {@code ","} before matching
 * (CVE-2020-25017), which is how the relay's getters join them too; HTTP parsers drop the spaces
 * and tabs around a value (RFC 9112 section 5), which the pattern allows anyway. linkerd2-proxy
 * matches each value of a repeated header on its own, taking a regex's leftmost-first match when
 * it spans the value (linkerd2-proxy {@code linkerd/http/route/src/http/match/header.rs}); the
 * pattern's greedy parts make that match the whole value whenever a full match exists. No mesh
 * ignores the case of a value or decodes it, so neither does the relay.
 */
final class MemberPattern {
  private static final String OWS = "[ \\t]*";

  private MemberPattern() {}

  /** The pattern matching header values whose first member for {@code memberKey} carries {@code variant}. */
  static String of(String memberKey, String variant) {
    return "(?:" + otherMember(memberKey) + ",)*" + OWS + quote(memberKey) + OWS + "=" + OWS + quote(variant) + OWS
        + "(?:;[^,]*)?(?:,.*)?";
  }

  /**
   * A list member (text without a comma) that is not a member for {@code key}: one without
   * {@code '='}, or whose key differs from {@code key}. Built as the automaton reading the key
   * character by character: after a proper prefix of {@code key}, any other character (or the
   * end) leaves the key behind; after the whole key, only spaces and tabs and then {@code '='}
   * make it a member for {@code key}.
   */
  static String otherMember(String key) {
    String rest = OWS + "(?:[^ \\t,=][^,]*)?";
    for (int i = key.length() - 1; i >= 1; i--) {
      char c = key.charAt(i);
      rest = "(?:[^," + inClass(c) + "][^,]*|" + quote(String.valueOf(c)) + rest + ")?";
    }
    char first = key.charAt(0);
    return OWS + "(?:[^ \\t," + inClass(first) + "][^,]*|" + quote(String.valueOf(first)) + rest + ")?";
  }
}
