package dev.flagroute.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collections;

/**
 * The servlet server span, made by hand: OpenTelemetry has no library instrumentation for
 * jakarta.servlet (only the agent instruments it), so this filter does what the agent does
 * before flagroute's filter runs: extract the inbound context (trace and baggage), start a SERVER
 * span and make both current for the rest of the chain.
 */
final class ServerSpanFilter implements Filter {
  private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpServletRequest carrier) {
      return Collections.list(carrier.getHeaderNames());
    }

    @Override
    public String get(HttpServletRequest carrier, String key) {
      return carrier == null ? null : carrier.getHeader(key);
    }
  };

  private final OpenTelemetry openTelemetry;

  ServerSpanFilter(OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), http, HEADERS);
    Span span = openTelemetry.getTracer("test-servlet").spanBuilder(http.getMethod() + " " + http.getRequestURI())
        .setSpanKind(SpanKind.SERVER).setParent(parent).startSpan();
    try (Scope ignored = parent.with(span).makeCurrent()) {
      chain.doFilter(request, response);
    } finally {
      span.end();
    }
  }
}
