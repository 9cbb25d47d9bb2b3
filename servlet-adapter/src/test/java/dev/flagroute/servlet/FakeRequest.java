package dev.flagroute.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request with only headers, cookies and a principal, for unit tests of code that reads just
 * those; any other method throws, so a test shows what the code under test really uses.
 */
final class FakeRequest {
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private final List<Cookie> cookies = new ArrayList<>();
  private Principal principal;

  FakeRequest header(String name, String value) {
    headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  FakeRequest cookie(String name, String value) {
    cookies.add(new Cookie(name, value));
    return this;
  }

  FakeRequest principal(String name) {
    principal = () -> name;
    return this;
  }

  HttpServletRequest build() {
    return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getHeader" -> values((String) args[0]).stream().findFirst().orElse(null);
          case "getHeaders" -> Collections.enumeration(values((String) args[0]));
          case "getHeaderNames" -> Collections.enumeration(headers.keySet());
          case "getCookies" -> cookies.isEmpty() ? null : cookies.toArray(Cookie[]::new);
          case "getUserPrincipal" -> principal;
          case "getServerName" -> values("Host").stream().findFirst().orElse("localhost").replaceFirst(":[0-9]*$", "");
          case "toString" -> "FakeRequest" + headers;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private List<String> values(String name) {
    return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream()).toList();
  }
}
