package dev.flagroute.spring.autoconfigure;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/** Passes the actuator's requests straight on, and every other request to the routing filter. */
final class ActuatorBypassFilter implements Filter {
  private final Filter routing;
  private final ManagementRequests management;

  ActuatorBypassFilter(Filter routing, ManagementRequests management) {
    this.routing = routing;
    this.management = management;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http && management.matches(
        http.getRequestURI(), http.getContextPath().length(), http::getLocalPort)) {
      chain.doFilter(request, response);
    } else {
      routing.doFilter(request, response, chain);
    }
  }
}
