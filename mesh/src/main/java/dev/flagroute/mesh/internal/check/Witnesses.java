package dev.flagroute.mesh.internal.check;

import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.internal.rules.Condition;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.StringMatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Requests that satisfy what rules match besides flag headers (a path, a method, query parameters,
 * other headers), so that a drift check sends flagged requests where such rules can take them,
 * not only to {@code GET /}. A witness is built for each match whose conditions other than flag
 * headers can be met by a literal (exact, prefix, suffix and presence conditions, inverted ones,
 * and regexes that are plain words, or literals once anchors, groups and {@code .*} are dropped)
 * and is kept only if it does meet them; at most {@value #MAX} distinct witnesses. Immutable. Internal to flagroute-mesh.
 */
final class Witnesses {
  /** The most witnesses taken from one set of rules. */
  static final int MAX = 32;
  private static final Pattern WORDS = Pattern.compile("[A-Za-z0-9_.~/-]+(\\|[A-Za-z0-9_.~/-]+)*");

  /**
   * What a witness adds to a request.
   *
   * @param method the HTTP method
   * @param path the path with its query
   * @param headers the headers other than flag headers
   */
  record Witness(String method, String path, Map<String, String> headers) {
    /** {@code stamped} sent with this method, path and headers. */
    MeshRequest with(MeshRequest stamped) {
      MeshRequest.Builder builder = MeshRequest.builder().method(method).path(path);
      headers.forEach(builder::header);
      stamped.headers().forEach(builder::header);
      return builder.build();
    }

    /** E.g. {@code POST /api?debug=1 with x-debug: 1}. */
    @Override
    public String toString() {
      return method + " " + path + (headers.isEmpty() ? "" : " with " + String.join(", ", headers.entrySet().stream()
          .map(e -> e.getKey() + ": " + e.getValue()).toList()));
    }
  }

  private Witnesses() {}

  /** The witnesses of {@code rules}' matches, ignoring conditions on {@code flagHeaders}; never {@code GET /} alone. */
  static List<Witness> of(List<MeshRule> rules, Predicate<String> flagHeaders) {
    Set<Witness> witnesses = new LinkedHashSet<>();
    for (MeshRule rule : rules) {
      for (MeshRule.Match match : rule.matches()) {
        Witness witness = of(match, flagHeaders);
        if (witness != null && witnesses.size() < MAX
            && !(witness.method.equals("GET") && witness.path.equals("/") && witness.headers.isEmpty())) {
          witnesses.add(witness);
        }
      }
    }
    return List.copyOf(witnesses);
  }

  private static Witness of(MeshRule.Match match, Predicate<String> flagHeaders) {
    String method = "GET";
    String path = "/";
    List<String> query = new ArrayList<>();
    Map<String, String> headers = new LinkedHashMap<>();
    List<Condition> others = new ArrayList<>();
    for (Condition condition : match.conditions()) {
      if (condition instanceof Condition.Header h && flagHeaders.test(h.name())) {
        continue;
      }
      others.add(condition);
      if (condition instanceof Condition.Header h) {
        if (!h.inverted() || h.match().kind() != StringMatch.Kind.PRESENT) {
          String value = h.inverted() ? notMatching(h.match()) : literal(h.match());
          if (value == null) {
            return null;
          }
          headers.put(h.name(), value);
        }
      } else if (condition instanceof Condition.Query q) {
        String value = literal(q.match());
        if (value == null) {
          return null;
        }
        query.add(q.name() + "=" + value);
      } else if (condition instanceof Condition.Method m) {
        method = literal(m.match());
      } else if (condition instanceof Condition.PathPrefix p) {
        path = p.prefix();
      } else if (condition instanceof Condition.Path p) {
        path = literal(p.match());
      } else if (condition instanceof Condition.GrpcMethod g) {
        path = "/" + orElse(literal(g.service()), "Service") + "/" + orElse(literal(g.method()), "Method");
      }
      if (path == null || method == null) {
        return null;
      }
    }
    if (!path.startsWith("/") || !method.matches("[A-Z]+")) {
      return null;
    }
    Witness witness = new Witness(method, query.isEmpty() ? path : path + "?" + String.join("&", query),
        Collections.unmodifiableMap(headers));
    MeshRequest request = witness.with(MeshRequest.builder().build());
    return others.stream().allMatch(c -> c.test(request)) ? witness : null;
  }

  /** A value {@code match} accepts, or {@code null} if there is no obvious one. */
  private static String literal(StringMatch match) {
    if (match == null) {
      return null;
    }
    return switch (match.kind()) {
      case EXACT, PREFIX, SUFFIX -> match.value();
      case PRESENT -> "1";
      case REGEX -> regexLiteral(match);
    };
  }

  /**
   * A value a regex accepts, if an obvious one does: its first alternative when it is plain
   * words, else the regex without anchors, groups and {@code .*} (so {@code ^/api/.*} and
   * SMI's {@code (?:/api)(?s:.*)} give {@code /api/} and {@code /api}); {@code null} otherwise.
   */
  private static String regexLiteral(StringMatch match) {
    String regex = match.value();
    if (WORDS.matcher(regex).matches()) {
      return regex.split("\\|")[0];
    }
    String stripped = regex.replace("(?s:.*)", "").replace(".*", "").replace("(?:", "").replaceAll("[()^$]", "");
    return match.test(stripped) ? stripped : null;
  }

  /** A value {@code match} rejects, for an inverted condition that needs the header present. */
  private static String notMatching(StringMatch match) {
    for (String candidate : List.of("-", "0", "x-witness")) {
      if (!match.test(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
