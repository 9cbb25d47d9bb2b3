package dev.flagroute.demo.mesh;

import dev.flagroute.mesh.MeshRequest;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
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
 */
public final class MeshProxy extends ProxyHandler implements AutoCloseable {
  private static final String TARGET = MeshProxy.class.getName() + ".target";

  private final String service;
  private final LocalMesh mesh;
  private final List<Workload> endpoints;
  private final Server server = new Server();
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
    Optional<Workload> target = mesh.route(service, seen.build(), endpoints);
    if (target.isEmpty()) {
      Response.writeError(request, response, callback, 503, "no mesh route to a running " + service + " instance");
      return true;
    }
    request.setAttribute(TARGET, target.get());
    return super.handle(request, response, callback);
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
