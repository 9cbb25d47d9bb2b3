package dev.flagroute.jdkhttp;

import dev.flagroute.context.FlagContext;
import dev.flagroute.direct.VersionAddresses.Address;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.direct.VersionTarget;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that routes without a mesh: a request to a service the routes steer
 * ({@code http://reviews:9080/...}) goes to the address of the version the current flags route to
 * ({@code http://reviews-v2:9080/...} by the default naming rule). When that version has no
 * instance (see {@link VersionRouting}; a connect timeout does not count) the request is sent once
 * more to the stable version, and the fallback is counted. Every other request, and everything
 * else, is the wrapped client's. Stamp the request as well ({@link FlagHttpRequests#stamp}), so
 * that the next hop receives the flags.
 *
 * <pre>{@code
 * HttpClient client = VersionRoutingHttpClient.wrap(HttpClient.newHttpClient(),
 *     VersionRouting.of(router.routes(), VersionAddresses.defaults()));
 * client.send(FlagHttpRequests.stamp(request, router.codec()), BodyHandlers.ofString());
 * }</pre>
 *
 * <p>The flags are the context current on the thread that calls {@code send} or
 * {@code sendAsync}. A request body is sent again on fallback, so its publisher must be
 * repeatable, as the JDK's own publishers are (except {@code ofInputStream} with a one-shot
 * stream).
 */
public final class VersionRoutingHttpClient extends HttpClient {
  private final HttpClient client;
  private final VersionRouting routing;

  private VersionRoutingHttpClient(HttpClient client, VersionRouting routing) {
    this.client = Objects.requireNonNull(client, "client");
    this.routing = Objects.requireNonNull(routing, "routing");
  }

  /** {@code client}, with requests to routed services sent to the version their flags route to. */
  public static HttpClient wrap(HttpClient client, VersionRouting routing) {
    return new VersionRoutingHttpClient(client, routing);
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) throws IOException,
      InterruptedException {
    Optional<VersionTarget> routed = routing.target(request.uri().getHost(), FlagContext.current());
    if (routed.isEmpty()) {
      return client.send(request, handler);
    }
    VersionTarget target = routed.get();
    try {
      return client.send(to(request, target), handler);
    } catch (IOException e) {
      if (!fallsBack(target, e)) {
        throw e;
      }
      return client.send(to(request, routing.fallBack(target, e)), handler);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
      PushPromiseHandler<T> pushes) {
    Optional<VersionTarget> routed = routing.target(request.uri().getHost(), FlagContext.current());
    if (routed.isEmpty()) {
      return client.sendAsync(request, handler, pushes);
    }
    VersionTarget target = routed.get();
    return client.sendAsync(to(request, target), handler, pushes).handle((response, failure) -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (failure == null) {
        return CompletableFuture.completedFuture(response);
      }
      if (!fallsBack(target, cause)) {
        return CompletableFuture.<HttpResponse<T>>failedFuture(cause);
      }
      return client.sendAsync(to(request, routing.fallBack(target, cause)), handler, pushes);
    }).thenCompose(next -> next);
  }

  private static boolean fallsBack(VersionTarget target, Throwable failure) {
    return !target.isStable() && !(failure instanceof HttpTimeoutException) && VersionRouting.isNoInstance(failure);
  }

  private static HttpRequest to(HttpRequest request, VersionTarget target) {
    URI uri = request.uri();
    Address address = target.address();
    String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
    int port = address.port(uri.getPort());
    String moved = uri.getScheme() + "://" + (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@") + host
        + (port == -1 ? "" : ":" + port) + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
        + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    return HttpRequest.newBuilder(request, (name, value) -> true).uri(URI.create(moved)).build();
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return client.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return client.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return client.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return client.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return client.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return client.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return client.authenticator();
  }

  @Override
  public Version version() {
    return client.version();
  }

  @Override
  public Optional<Executor> executor() {
    return client.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return client.newWebSocketBuilder();
  }
}
