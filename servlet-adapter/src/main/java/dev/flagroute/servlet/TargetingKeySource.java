package dev.flagroute.servlet;

import dev.flagroute.evaluation.RequestContextSpec;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Objects;

/**
 * Where the OpenFeature targeting key of a request comes from: a header, a cookie, the
 * authenticated principal, or any callback. Implementations return {@code null} when the request
 * has no key; the filter then evaluates without one.
 *
 * <pre>{@code
 * TargetingKeySource.header("x-user-id")
 * TargetingKeySource.cookie("uid")
 * TargetingKeySource.principal()
 * request -> (String) request.getSession(false).getAttribute("userId")
 * }</pre>
 */
@FunctionalInterface
public interface TargetingKeySource {
  /** The longest key the built-in sources accept; a longer value is treated as absent. */
  int MAX_LENGTH = RequestContextSpec.MAX_TARGETING_KEY_LENGTH;

  /** The targeting key of {@code request}, or {@code null} if it has none. */
  String targetingKey(HttpServletRequest request);

  /** No targeting key: every request evaluates anonymously. */
  static TargetingKeySource none() {
    return request -> null;
  }

  /** The value of header {@code name}; blank or longer than {@link #MAX_LENGTH} counts as absent. */
  static TargetingKeySource header(String name) {
    Objects.requireNonNull(name, "name");
    return request -> RequestContextSpec.targetingKey(request.getHeader(name));
  }

  /** The value of the first cookie named {@code name}; blank or too long counts as absent. */
  static TargetingKeySource cookie(String name) {
    Objects.requireNonNull(name, "name");
    return request -> {
      Cookie[] cookies = request.getCookies();
      if (cookies != null) {
        for (Cookie cookie : cookies) {
          if (name.equals(cookie.getName())) {
            return RequestContextSpec.targetingKey(cookie.getValue());
          }
        }
      }
      return null;
    };
  }

  /** The name of the authenticated {@link HttpServletRequest#getUserPrincipal() principal}. */
  static TargetingKeySource principal() {
    return request -> {
      Principal principal = request.getUserPrincipal();
      return principal == null ? null : RequestContextSpec.targetingKey(principal.getName());
    };
  }
}
