package dev.flagroute.spring.http;

import dev.flagroute.context.FlagContext;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.direct.VersionTarget;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Routes {@code RestClient} and {@code RestTemplate} calls without a mesh: a call to a service the
 * routes steer ({@code http://reviews:9080/...}) goes to the address of the version the current
 * flags route to ({@code http://reviews-v2:9080/...} by the default naming rule). When that
 * version has no instance (see {@link VersionRouting}) the call is made once more to the stable
 * version, and the fallback is counted. Register it after {@link FlagStampingRequestInterceptor}
 * and as the last interceptor, since the fallback executes the rest of the chain again.
 *
 * <pre>{@code
 * RestClient client = RestClient.builder()
 *     .requestInterceptor(new FlagStampingRequestInterceptor(router.codec()))
 *     .requestInterceptor(new VersionRoutingRequestInterceptor(routing))
 *     .build();
 * }</pre>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class VersionRoutingRequestInterceptor implements ClientHttpRequestInterceptor {
  private final VersionRouting routing;

  /** Routes by {@code routing}. */
  public VersionRoutingRequestInterceptor(VersionRouting routing) {
    this.routing = Objects.requireNonNull(routing, "routing");
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    Optional<VersionTarget> routed = routing.target(request.getURI().getHost(), FlagContext.current());
    if (routed.isEmpty()) {
      return execution.execute(request, body);
    }
    VersionTarget target = routed.get();
    try {
      return execution.execute(to(request, target), body);
    } catch (IOException e) {
      if (target.isStable() || !VersionRouting.isNoInstance(e)) {
        throw e;
      }
      return execution.execute(to(request, routing.fallBack(target, e)), body);
    }
  }

  /** {@code uri} with the host and port of {@code target}. */
  static URI moved(URI uri, VersionTarget target) {
    return UriComponentsBuilder.fromUri(uri).host(target.address().host())
        .port(target.address().port(uri.getPort())).build(true).toUri();
  }

  private static HttpRequest to(HttpRequest request, VersionTarget target) {
    URI uri = moved(request.getURI(), target);
    return new HttpRequestWrapper(request) {
      @Override
      public URI getURI() {
        return uri;
      }
    };
  }
}
