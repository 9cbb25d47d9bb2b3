package dev.flagroute.demo.mesh;

import dev.flagroute.mesh.MeshRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP side of the {@link LocalMesh}: a Jetty reverse proxy standing where a service's mesh
 * address would be. Each request is routed on its method, path and headers, as a sidecar would,
 * and forwarded to the chosen instance; with no route it answers 503, as Envoy does.
 *
 * <p><b>Mirrors.</b> Where the matching rule mirrors, a copy of the request goes to each mirror's
 * instance, sampled by its percentage, as Envoy sends it: the same method, path and headers, the
 * {@code Host} with {@code -shadow} appended to its host (before any port), sent asynchronously
 * as the request is routed, its response read and discarded. A copy never delays or fails the
 * user's request: its failures are only counted. Requests with a body are not copied (the demo
 * sends none); {@link #mirrorsSent()} and {@link #mirrorsDone()} count the copies.
 */
public final class MeshProxy extends ProxyHandler implements AutoCloseable {
  private static final String TARGET = MeshProxy.class.getName() + ".target";
  private static final String SHADOW_SUFFIX = "-shadow";
  private static final Duration COPY_TIMEOUT = Duration.ofSeconds(60);
  private static final long MIRROR_POLL_MILLIS = 10;

  private final String service;
  private final LocalMesh mesh;
  private final List<Workload> endpoints;
  private final Server server = new Server();
  private final AtomicLong mirrorsSent = new AtomicLong();
  private final AtomicLong mirrorsDone = new AtomicLong();
  private final AtomicLong mirrorsFailed = new AtomicLong();
  private URI uri;

  private MeshProxy(String service, LocalMesh mesh, List<Workload> endpoints) {
    this.service = service;
    this.mesh = mesh;
    this.endpoints = List.copyOf(endpoints);
  }

  /** Starts a proxy for {@code service}, running as {@code endpoints}, on {@code host} and a free port. */
  public static MeshProxy start(String service, LocalMesh mesh, List<Workload> endpoints, String host)
      throws Exception {
    MeshProxy proxy = new MeshProxy(service, mesh, endpoints);
    ServerConnector connector = new ServerConnector(proxy.server);
    connector.setHost(host);
    proxy.server.addConnector(connector);
    proxy.server.setHandler(proxy);
    proxy.server.start();
    proxy.uri = URI.create("http://" + host + ":" + connector.getLocalPort());
    return proxy;
  }

  /** The service's address in the mesh, e.g. {@code http://127.0.0.1:41234}. */
  public URI uri() {
    return uri;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    MeshRequest.Builder seen = MeshRequest.builder()
        .method(request.getMethod())
        .path(request.getHttpURI().getPathQuery());
    for (HttpField field : request.getHeaders()) {
      seen.header(field.getName(), field.getValue());
    }
    Optional<LocalMesh.Routing> routing = mesh.routing(service, seen.build(), endpoints);
    if (routing.isEmpty()) {
      Response.writeError(request, response, callback, 503, "no mesh route to a running " + service + " instance");
      return true;
    }
    for (LocalMesh.Mirroring mirror : routing.get().mirrors()) {
      if (mirror.copies(ThreadLocalRandom.current().nextDouble(100)) && !hasBody(request)) {
        mirror(request, mirror.target());
      }
    }
    request.setAttribute(TARGET, routing.get().target());
    return super.handle(request, response, callback);
  }

  /** Sends a copy of {@code request} to {@code target}, as a shadow, without waiting for it. */
  private void mirror(Request request, Workload target) {
    mirrorsSent.incrementAndGet();
    try {
      org.eclipse.jetty.client.Request copy = getHttpClient()
          .newRequest(HttpURI.build(request.getHttpURI()).scheme("http").host(target.host()).port(target.port())
              .toURI())
          .method(request.getMethod())
          .timeout(COPY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      copy.headers(headers -> {
        for (HttpField field : request.getHeaders()) {
          if (field.getHeader() != HttpHeader.HOST) {
            headers.add(field);
          }
        }
        headers.put(HttpHeader.HOST, shadowAuthority(request.getHttpURI().getAuthority()));
      });
      copy.send(result -> {
        if (result.isFailed()) {
          mirrorsFailed.incrementAndGet();
        }
        mirrorsDone.incrementAndGet();
      });
    } catch (RuntimeException e) {
      mirrorsFailed.incrementAndGet();
      mirrorsDone.incrementAndGet();
    }
  }

  /**
   * {@code authority} as Envoy writes it on a mirrored copy: {@code -shadow} appended to the host,
   * before any port, e.g. {@code reviews:9080} becomes {@code reviews-shadow:9080}.
   */
  static String shadowAuthority(String authority) {
    int port = authority.lastIndexOf(':');
    if (port < 0 || port < authority.lastIndexOf(']')) {
      return authority + SHADOW_SUFFIX;
    }
    return authority.substring(0, port) + SHADOW_SUFFIX + authority.substring(port);
  }

  private static boolean hasBody(Request request) {
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  /** How many copies of requests this proxy has sent, answered or not. */
  public long mirrorsSent() {
    return mirrorsSent.get();
  }

  /** How many copies have been answered or have failed (a failure counts here and in {@link #mirrorsFailed()}). */
  public long mirrorsDone() {
    return mirrorsDone.get();
  }

  /** How many copies failed: no answer, or not sent at all. Their users never noticed. */
  public long mirrorsFailed() {
    return mirrorsFailed.get();
  }

  /**
   * Waits until every copy sent so far is done, at most {@code timeout}.
   *
   * @return whether they all are
   */
  public boolean awaitMirrors(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (mirrorsDone.get() < mirrorsSent.get()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(MIRROR_POLL_MILLIS);
    }
    return true;
  }

  @Override
  protected HttpURI rewriteHttpURI(Request request) {
    Workload target = (Workload) request.getAttribute(TARGET);
    return HttpURI.build(request.getHttpURI()).scheme("http").host(target.host()).port(target.port());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
