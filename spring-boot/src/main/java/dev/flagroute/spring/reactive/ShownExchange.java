package dev.flagroute.spring.reactive;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * The exchange later filters and handlers get: the routed exchange, its request showing
 * {@code headers} ({@link ShownHeaders}) instead of the inbound ones. A later
 * {@code exchange.mutate()} starts from this view.
 */
final class ShownExchange extends ServerWebExchangeDecorator {
  private final ServerHttpRequest request;

  ShownExchange(ServerWebExchange exchange, HttpHeaders headers) {
    super(exchange);
    this.request = new ShownRequest(exchange.getRequest(), headers);
  }

  @Override
  public ServerHttpRequest getRequest() {
    return request;
  }

  /** The inbound request with the shown headers. */
  private static final class ShownRequest extends ServerHttpRequestDecorator {
    private final HttpHeaders headers;

    ShownRequest(ServerHttpRequest request, HttpHeaders headers) {
      super(request);
      this.headers = headers;
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }
  }
}
