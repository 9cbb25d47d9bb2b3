package dev.flagroute.servlet;

import dev.flagroute.codec.HeaderGetter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.List;

/** Reads inbound headers from a servlet request, joining repeated ones with {@code ","}. */
final class ServletHeaders implements HeaderGetter<HttpServletRequest> {
  static final ServletHeaders GETTER = new ServletHeaders();

  private ServletHeaders() {}

  @Override
  public String get(HttpServletRequest request, String name) {
    Enumeration<String> values = request.getHeaders(name);
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    String first = values.nextElement();
    if (!values.hasMoreElements()) {
      return first;
    }
    StringBuilder joined = new StringBuilder(first);
    while (values.hasMoreElements()) {
      joined.append(',').append(values.nextElement());
    }
    return joined.toString();
  }

  /** The names, as an iterable to be read once, which is how codecs read them. */
  @Override
  public Iterable<String> names(HttpServletRequest request) {
    Enumeration<String> names = request.getHeaderNames();
    return names == null ? List.of() : names::asIterator;
  }
}
