package dev.flagroute.servlet;

import dev.flagroute.internal.inbound.InboundView;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request the application sees, headers and trailers alike (see {@link InboundView}): flag
 * headers of the router's codec show the decided variants; flag headers of any other codec, the
 * {@code flag.} members of {@code baggage} and the override token are hidden; async work started
 * from it keeps the request's decision. Code that copies inbound headers to outbound calls
 * therefore copies the decision, not a spoof or a token.
 */
final class FlagRequest extends HttpServletRequestWrapper {
  private final InboundView view;
  /** The decided flag headers by lower-case name, built on first use: most apps never read them. */
  private volatile Map<String, String> decided;
  private final ServletResponse response;
  private final RequestFlags flags;
  private final ThreadBinder binder;

  FlagRequest(HttpServletRequest request, ServletResponse response, InboundView view, RequestFlags flags,
      ThreadBinder binder) {
    super(request);
    this.view = view;
    this.response = response;
    this.flags = flags;
    this.binder = binder;
  }

  /** Whether {@code request} is, or wraps, a request of this filter. */
  static boolean isWrapped(ServletRequest request) {
    return request instanceof FlagRequest
        || request instanceof ServletRequestWrapper wrapper && wrapper.isWrapperFor(FlagRequest.class);
  }

  /** The decided headers; racy but idempotent, so concurrent first reads at worst build it twice. */
  private Map<String, String> decided() {
    Map<String, String> headers = decided;
    if (headers == null) {
      HttpServletRequest inbound = (HttpServletRequest) getRequest();
      headers = view.decided(flags.flags(), name -> ServletHeaders.GETTER.get(inbound, name));
      decided = headers;
    }
    return headers;
  }

  /** The value the application sees of header {@code name} that is not kept as sent, or null. */
  private String shown(String name, InboundView.Treatment treatment) {
    return switch (treatment) {
      case DECIDED -> decided().get(name.toLowerCase(Locale.ROOT));
      case BAGGAGE -> view.baggage(ServletHeaders.GETTER.get((HttpServletRequest) getRequest(), name));
      default -> null;
    };
  }

  @Override
  public String getHeader(String name) {
    InboundView.Treatment treatment = treatment(name);
    return treatment == InboundView.Treatment.KEEP ? super.getHeader(name) : shown(name, treatment);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    InboundView.Treatment treatment = treatment(name);
    if (treatment == InboundView.Treatment.KEEP) {
      return super.getHeaders(name);
    }
    String value = shown(name, treatment);
    return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    Enumeration<String> inbound = super.getHeaderNames();
    if (inbound != null) {
      while (inbound.hasMoreElements()) {
        String name = inbound.nextElement();
        InboundView.Treatment treatment = view.treatment(name);
        if (treatment == InboundView.Treatment.KEEP
            || treatment == InboundView.Treatment.BAGGAGE && shown(name, treatment) != null) {
          names.add(name);
        }
      }
    }
    names.addAll(decided().keySet());
    return Collections.enumeration(names);
  }

  @Override
  public int getIntHeader(String name) {
    if (treatment(name) == InboundView.Treatment.KEEP) {
      return super.getIntHeader(name);
    }
    String value = getHeader(name);
    return value == null ? -1 : Integer.parseInt(value);
  }

  @Override
  public long getDateHeader(String name) {
    if (treatment(name) == InboundView.Treatment.KEEP) {
      return super.getDateHeader(name);
    }
    if (getHeader(name) == null) {
      return -1;
    }
    throw new IllegalArgumentException("header " + name + " carries a flag variant, not a date");
  }

  /**
   * The trailer fields the application sees: those kept as sent, and {@code baggage} without its
   * flag members; flag trailers of every codec and the override token are hidden (trailers never
   * show decided variants, which the headers carry).
   */
  @Override
  public Map<String, String> getTrailerFields() {
    Map<String, String> trailers = super.getTrailerFields();
    if (trailers == null || trailers.isEmpty()) {
      return trailers;
    }
    Map<String, String> shown = new LinkedHashMap<>();
    trailers.forEach((name, value) -> {
      InboundView.Treatment treatment = view.treatment(name);
      String kept = treatment == InboundView.Treatment.KEEP ? value
          : treatment == InboundView.Treatment.BAGGAGE ? view.baggage(value) : null;
      if (kept != null) {
        shown.put(name, kept);
      }
    });
    return shown;
  }

  /**
   * Starts async processing with this request and the filter's response, so that
   * {@link AsyncContext#getRequest()} keeps this view of the headers.
   */
  @Override
  public AsyncContext startAsync() {
    return wrap(super.startAsync(this, response));
  }

  @Override
  public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
    return wrap(super.startAsync(servletRequest, servletResponse));
  }

  @Override
  public AsyncContext getAsyncContext() {
    AsyncContext context = super.getAsyncContext();
    return context == null ? null : wrap(context);
  }

  private AsyncContext wrap(AsyncContext context) {
    return context instanceof FlagAsyncContext ? context : new FlagAsyncContext(context, flags, binder);
  }

  private InboundView.Treatment treatment(String name) {
    return name == null ? InboundView.Treatment.KEEP : view.treatment(name);
  }
}
