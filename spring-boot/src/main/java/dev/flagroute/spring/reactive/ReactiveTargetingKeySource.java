package dev.flagroute.spring.reactive;

import dev.flagroute.evaluation.RequestContextSpec;
import java.security.Principal;
import java.util.Objects;
import org.springframework.http.HttpCookie;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Where the OpenFeature targeting key of a reactive exchange comes from: a header, a cookie, the
 * authenticated principal, or any callback. An empty {@code Mono} means the exchange has no key;
 * it is then evaluated without one.
 *
 * <pre>{@code
 * ReactiveTargetingKeySource.header("x-user-id")
 * exchange -> exchange.getSession().mapNotNull(session -> session.getAttribute("userId"))
 * }</pre>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@FunctionalInterface
public interface ReactiveTargetingKeySource {
  /** The longest key the built-in sources accept; a longer value is treated as absent. */
  int MAX_LENGTH = RequestContextSpec.MAX_TARGETING_KEY_LENGTH;

  /** The targeting key of {@code exchange}, or empty if it has none. */
  Mono<String> targetingKey(ServerWebExchange exchange);

  /** No targeting key: every exchange evaluates anonymously. */
  static ReactiveTargetingKeySource none() {
    return exchange -> Mono.empty();
  }

  /** The value of header {@code name}; blank or longer than {@link #MAX_LENGTH} counts as absent. */
  static ReactiveTargetingKeySource header(String name) {
    Objects.requireNonNull(name, "name");
    return exchange -> Mono.justOrEmpty(RequestContextSpec.targetingKey(exchange.getRequest().getHeaders().getFirst(name)));
  }

  /** The value of the first cookie named {@code name}; blank or too long counts as absent. */
  static ReactiveTargetingKeySource cookie(String name) {
    Objects.requireNonNull(name, "name");
    return exchange -> {
      HttpCookie cookie = exchange.getRequest().getCookies().getFirst(name);
      return Mono.justOrEmpty(cookie == null ? null : RequestContextSpec.targetingKey(cookie.getValue()));
    };
  }

  /** The name of the authenticated {@link ServerWebExchange#getPrincipal() principal}. */
  static ReactiveTargetingKeySource principal() {
    return exchange -> exchange.getPrincipal().map(Principal::getName).mapNotNull(RequestContextSpec::targetingKey);
  }
}
