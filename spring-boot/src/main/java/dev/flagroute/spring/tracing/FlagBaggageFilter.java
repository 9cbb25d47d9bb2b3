package dev.flagroute.spring.tracing;

import dev.flagroute.context.FlagContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * A servlet filter, after flagroute's routing filter, that makes the request's flags tracing
 * baggage and tags the request's span with them for the rest of the chain (see {@link TracingFlagBaggage}).
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagBaggageFilter implements Filter {
  private final TracingFlagBaggage baggage;

  /** Opens {@code baggage} for each request's current flags. */
  public FlagBaggageFilter(TracingFlagBaggage baggage) {
    this.baggage = Objects.requireNonNull(baggage, "baggage");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try (TracingFlagBaggage.Scope ignored = baggage.open(FlagContext.current())) {
      chain.doFilter(request, response);
    }
  }
}
