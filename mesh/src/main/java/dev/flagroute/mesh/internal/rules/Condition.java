package dev.flagroute.mesh.internal.rules;

import dev.flagroute.mesh.MeshRequest;

/** One condition of a parsed match; a match holds when all its conditions hold. Internal to flagroute-mesh. */
public sealed interface Condition {
  /** Whether {@code request} satisfies this condition. */
  boolean test(MeshRequest request);

  /** What a request must carry to meet the condition, e.g. {@code header x-flag-a exact 'on'}. */
  default String describe() {
    if (this instanceof Header h) {
      return "header " + h.name() + (h.inverted() ? " not " : " ") + h.match();
    } else if (this instanceof Path p) {
      return "path " + p.match();
    } else if (this instanceof PathPrefix p) {
      return "path prefix '" + p.prefix() + "'";
    } else if (this instanceof Method m) {
      return "method " + m.match();
    } else if (this instanceof Query q) {
      return "query " + q.name() + " " + q.match();
    }
    GrpcMethod g = (GrpcMethod) this;
    return "gRPC method " + (g.service() == null ? "*" : g.service()) + "/" + (g.method() == null ? "*" : g.method());
  }

  /** Whether every request satisfying {@code this} satisfies {@code other} (a safe under-approximation). */
  boolean implies(Condition other);

  /**
   * A header condition. Istio keys are looked up as written among the request's lowercase
   * {@link MeshRequest#headers() headers}, so an uppercase key never matches
   * (Envoy stores names in lowercase); Gateway API names are lowercased when parsed, as they match
   * ignoring case. An inverted condition (Istio {@code withoutHeaders}) follows Envoy's
   * {@code invert_match}: a presence check holds when the header is absent, any other holds only
   * when the header is present with a value that does not match (istio/istio#50988). A header sent
   * several times is matched as Envoy matches it, its values joined with {@code ","}
   * (CVE-2020-25017), unless {@code eachValue} says to match as linkerd2-proxy does
   * ({@code linkerd/http/route/src/http/match/header.rs}): each value on its own, the condition
   * holding when any value matches, a regex by its leftmost-first match spanning the whole value.
   */
  record Header(String name, StringMatch match, boolean inverted, boolean eachValue) implements Condition {
    /** A condition matching as Envoy does. */
    public Header(String name, StringMatch match, boolean inverted) {
      this(name, match, inverted, false);
    }

    @Override
    public boolean test(MeshRequest request) {
      if (eachValue) {
        boolean any = request.headerValues(name).stream().anyMatch(match::testFound);
        return inverted != any;
      }
      String value = request.headers().get(name);
      if (!inverted) {
        return match.test(value);
      }
      return match.kind() == StringMatch.Kind.PRESENT ? value == null : value != null && !match.test(value);
    }

    @Override
    public boolean implies(Condition other) {
      return other instanceof Header h && h.name.equals(name) && inverted == h.inverted
          && (inverted ? match.equals(h.match) : match.implies(h.match));
    }
  }

  /** A condition on the path (without query). */
  record Path(StringMatch match) implements Condition {
    @Override
    public boolean test(MeshRequest request) {
      return match.test(request.path());
    }

    @Override
    public boolean implies(Condition other) {
      return other instanceof Path p && match.implies(p.match);
    }
  }

  /**
   * A Gateway API {@code PathPrefix}: whole {@code /}-separated segments, ignoring a trailing
   * slash, so {@code /foo} matches {@code /foo} and {@code /foo/bar} but not {@code /foobar}.
   */
  record PathPrefix(String prefix) implements Condition {
    /** Drops a trailing slash, which does not change what the prefix matches. */
    public PathPrefix {
      prefix = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    @Override
    public boolean test(MeshRequest request) {
      return covers(request.path());
    }

    @Override
    public boolean implies(Condition other) {
      return other instanceof PathPrefix p && p.covers(prefix);
    }

    private boolean covers(String path) {
      return prefix.equals("/") || path.startsWith(prefix)
          && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
  }

  /** A condition on the HTTP method. */
  record Method(StringMatch match) implements Condition {
    @Override
    public boolean test(MeshRequest request) {
      return match.test(request.method());
    }

    @Override
    public boolean implies(Condition other) {
      return other instanceof Method m && match.implies(m.match);
    }
  }

  /** A condition on a query parameter. */
  record Query(String name, StringMatch match) implements Condition {
    @Override
    public boolean test(MeshRequest request) {
      return match.test(request.queryParam(name));
    }

    @Override
    public boolean implies(Condition other) {
      return other instanceof Query q && q.name.equals(name) && match.implies(q.match);
    }
  }

  /** A GRPCRoute method match on a {@code /service/method} path; null parts match anything. */
  record GrpcMethod(StringMatch service, StringMatch method) implements Condition {
    @Override
    public boolean test(MeshRequest request) {
      String path = request.path();
      int slash = path.indexOf('/', 1);
      if (slash < 0) {
        return false;
      }
      return (service == null || service.test(path.substring(1, slash)))
          && (method == null || method.test(path.substring(slash + 1)));
    }

    @Override
    public boolean implies(Condition other) {
      return equals(other);
    }

    /** How many characters the service part matches on, for Gateway API precedence. */
    public int serviceChars() {
      return service == null ? 0 : service.value().length();
    }

    /** How many characters the method part matches on, for Gateway API precedence. */
    public int methodChars() {
      return method == null ? 0 : method.value().length();
    }
  }
}
