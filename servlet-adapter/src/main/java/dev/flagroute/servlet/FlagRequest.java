package dev.flagroute.servlet;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
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
 * The request the application sees: flag headers show the decided variants, inbound flag headers
 * the router dropped are hidden, and async work started from it keeps the request's decision.
 * Code that copies inbound headers to outbound calls therefore copies the decision, not a spoof.
 */
final class FlagRequest extends HttpServletRequestWrapper {
  private final HeaderCodec codec;
  /** The decided flag headers by lower-case name, built on first use: most apps never read them. */
  private volatile Map<String, String> decided;
  private final ServletResponse response;
  private final RequestFlags flags;
  private final ThreadBinder binder;

  FlagRequest(HttpServletRequest request, ServletResponse response, HeaderCodec codec, RequestFlags flags,
      ThreadBinder binder) {
    super(request);
    this.codec = codec;
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
      headers = decidedHeaders((HttpServletRequest) getRequest(), codec, flags);
      decided = headers;
    }
    return headers;
  }

  private static Map<String, String> decidedHeaders(HttpServletRequest inbound, HeaderCodec codec, RequestFlags flags) {
    Map<String, String> headers = new LinkedHashMap<>();
    codec.inject(flags.flags(), headers, new HeaderSetter<>() {
      @Override
      public void set(Map<String, String> carrier, String name, String value) {
        carrier.put(name.toLowerCase(Locale.ROOT), value);
      }

      @Override
      public String get(Map<String, String> carrier, String name) {
        String written = carrier.get(name.toLowerCase(Locale.ROOT));
        return written != null ? written : ServletHeaders.GETTER.get(inbound, name);
      }
    });
    return Collections.unmodifiableMap(headers);
  }

  @Override
  public String getHeader(String name) {
    return owned(name) ? decided().get(name.toLowerCase(Locale.ROOT)) : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    if (!owned(name)) {
      return super.getHeaders(name);
    }
    String value = decided().get(name.toLowerCase(Locale.ROOT));
    return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    Enumeration<String> inbound = super.getHeaderNames();
    if (inbound != null) {
      while (inbound.hasMoreElements()) {
        String name = inbound.nextElement();
        if (!codec.owns(name)) {
          names.add(name);
        }
      }
    }
    names.addAll(decided().keySet());
    return Collections.enumeration(names);
  }

  @Override
  public int getIntHeader(String name) {
    if (!owned(name)) {
      return super.getIntHeader(name);
    }
    String value = getHeader(name);
    return value == null ? -1 : Integer.parseInt(value);
  }

  @Override
  public long getDateHeader(String name) {
    if (!owned(name)) {
      return super.getDateHeader(name);
    }
    if (getHeader(name) == null) {
      return -1;
    }
    throw new IllegalArgumentException("header " + name + " carries a flag variant, not a date");
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

  private boolean owned(String name) {
    return name != null && codec.owns(name);
  }
}
