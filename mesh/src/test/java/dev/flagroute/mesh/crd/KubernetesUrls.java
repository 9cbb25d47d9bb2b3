package dev.flagroute.mesh.crd;

import static dev.cel.common.CelFunctionDecl.newFunctionDeclaration;
import static dev.cel.common.CelOverloadDecl.newGlobalOverload;
import static dev.cel.common.CelOverloadDecl.newMemberOverload;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationExceptionBuilder;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Kubernetes' CEL URL library ({@code url}, {@code isURL} and the {@code kubernetes.URL} accessors), as the API
 * server evaluates CRD rules: a string is a URL when Go's {@code url.ParseRequestURI} accepts it, that is an
 * absolute URI or an absolute path, without a fragment.
 */
final class KubernetesUrls {

  /** The CEL type of a parsed URL. */
  static final OpaqueType URL = OpaqueType.create("kubernetes.URL");

  /** A URL as {@code ParseRequestURI} splits it; every part is empty when absent. */
  record Url(String scheme, String host, String escapedPath, String query) {

    String hostname() {
      if (host.startsWith("[")) {
        int end = host.indexOf(']');
        return end < 0 ? host.substring(1) : host.substring(1, end);
      }
      int colon = host.lastIndexOf(':');
      return colon < 0 ? host : host.substring(0, colon);
    }

    String port() {
      int colon = host.lastIndexOf(':');
      return colon < 0 || host.lastIndexOf(']') > colon ? "" : host.substring(colon + 1);
    }
  }

  private KubernetesUrls() {}

  static List<CelFunctionDecl> declarations() {
    return List.of(
        newFunctionDeclaration("url", newGlobalOverload("string_to_url", URL, SimpleType.STRING)),
        newFunctionDeclaration("isURL", newGlobalOverload("is_url_string", SimpleType.BOOL, SimpleType.STRING)),
        member("getScheme", "url_get_scheme"),
        member("getHost", "url_get_host"),
        member("getHostname", "url_get_hostname"),
        member("getPort", "url_get_port"),
        member("getEscapedPath", "url_get_escaped_path"),
        member("getQuery", "url_get_query"));
  }

  static List<CelFunctionBinding> bindings() {
    return List.of(
        CelFunctionBinding.from("string_to_url", String.class, KubernetesUrls::url),
        CelFunctionBinding.from("is_url_string", String.class, s -> parse(s).isPresent()),
        CelFunctionBinding.from("url_get_scheme", Url.class, Url::scheme),
        CelFunctionBinding.from("url_get_host", Url.class, Url::host),
        CelFunctionBinding.from("url_get_hostname", Url.class, Url::hostname),
        CelFunctionBinding.from("url_get_port", Url.class, Url::port),
        CelFunctionBinding.from("url_get_escaped_path", Url.class, Url::escapedPath),
        CelFunctionBinding.from("url_get_query", Url.class, Url::query));
  }

  private static CelFunctionDecl member(String name, String overload) {
    return newFunctionDeclaration(name, newMemberOverload(overload, SimpleType.STRING, URL));
  }

  private static Url url(String s) throws CelEvaluationException {
    Optional<Url> parsed = parse(s);
    if (parsed.isEmpty()) {
      throw CelEvaluationExceptionBuilder.newBuilder("URL parse error during conversion from string: %s", s)
          .build();
    }
    return parsed.get();
  }

  /** Parses like Go's {@code url.ParseRequestURI}: empty when Go returns an error. */
  static Optional<Url> parse(String raw) {
    if (raw.isEmpty() || raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.empty();
    }
    String scheme = "";
    String rest = raw;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == ':') {
        if (i == 0) {
          return Optional.empty();
        }
        scheme = raw.substring(0, i).toLowerCase(Locale.ROOT);
        rest = raw.substring(i + 1);
        break;
      }
      boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
      boolean later = c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.';
      if (!letter && !(later && i > 0)) {
        break;
      }
    }
    String query = "";
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    if (!rest.startsWith("/")) {
      // an opaque URI such as "mailto:a@b" has a scheme; a relative reference is no request URI
      return scheme.isEmpty() ? Optional.empty() : Optional.of(new Url(scheme, "", "", query));
    }
    String host = "";
    if (!scheme.isEmpty() && rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
      rest = slash < 0 ? "" : rest.substring(slash);
      int at = authority.lastIndexOf('@');
      host = authority.substring(at + 1);
      if (!validHost(host)) {
        return Optional.empty();
      }
    }
    return validEscapes(rest) ? Optional.of(new Url(scheme, host, rest, query)) : Optional.empty();
  }

  private static boolean validHost(String host) {
    String name = host;
    String port = "";
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      if (end < 0) {
        return false;
      }
      name = "";
      port = host.substring(end + 1);
      if (!port.isEmpty() && !port.startsWith(":")) {
        return false;
      }
    } else if (host.lastIndexOf(':') >= 0) {
      name = host.substring(0, host.lastIndexOf(':'));
      port = host.substring(host.lastIndexOf(':'));
    }
    if (!port.isEmpty() && !port.substring(1).chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    for (char c : name.toCharArray()) {
      boolean allowed = Character.isLetterOrDigit(c) || c >= 0x80 || "-._~!$&'()*+,;=:[]<>\"%".indexOf(c) >= 0;
      if (!allowed) {
        return false;
      }
    }
    return validEscapes(name);
  }

  private static boolean validEscapes(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '%') {
        if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
            || Character.digit(s.charAt(i + 2), 16) < 0) {
          return false;
        }
        i += 2;
      }
    }
    return true;
  }
}
