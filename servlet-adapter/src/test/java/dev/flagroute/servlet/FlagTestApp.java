package dev.flagroute.servlet;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.okhttp.FlagStampingInterceptor;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.MDC;

/**
 * The application under test: a leak probe as outermost filter, the flag filter the test installs,
 * and servlets that report, as {@code key=value} lines, what the application sees of the decision
 * on each thread it runs on, including what its outbound calls carried downstream.
 */
final class FlagTestApp implements ServletContainerInitializer {
  static final String MDC_KEY = "flagroute";
  static final String ASYNC_START = "test.async.start";

  private final HeaderCodec codec;
  private final Client inApp;
  private final HttpUrl downstream;
  private final Consumer<ServletContext> installFilter;
  private final LeakProbe probe;
  private final OkHttpClient stamping;
  private final OkHttpClient plain;
  private volatile ServletContext servletContext;

  /**
   * @param codec the codec the flag filter's router uses, for outbound stamping and header views
   * @param openFeature the API in-app evaluations use (through the transaction context)
   * @param downstream where outbound calls go; it echoes the {@code x-} headers it receives
   * @param installFilter registers the flag filter on the servlet context
   */
  FlagTestApp(HeaderCodec codec, OpenFeatureAPI openFeature, HttpUrl downstream,
      Consumer<ServletContext> installFilter) {
    this.codec = codec;
    this.inApp = openFeature.getClient();
    this.downstream = downstream;
    this.installFilter = installFilter;
    this.probe = new LeakProbe(openFeature);
    ConnectionPool pool = new ConnectionPool(64, 1, TimeUnit.MINUTES);
    this.plain = new OkHttpClient.Builder().connectionPool(pool)
        .callTimeout(Duration.ofSeconds(60)).readTimeout(Duration.ZERO).build();
    this.stamping = plain.newBuilder().addInterceptor(new FlagStampingInterceptor(codec)).build();
  }

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    servletContext = context;
    FilterRegistration.Dynamic probeRegistration = context.addFilter("probe", probe);
    probeRegistration.setAsyncSupported(true);
    probeRegistration.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    installFilter.accept(context);
    add(context, "echo", new EchoServlet());
    add(context, "async", new AsyncServlet());
    add(context, "timeout", new TimeoutServlet());
    add(context, "boom", new BoomServlet());
    add(context, "error", new EchoServlet());
    add(context, "view", new ViewServlet());
  }

  private static void add(ServletContext context, String name, HttpServlet servlet) {
    ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
    registration.setAsyncSupported(true);
    registration.addMapping("/" + name);
  }

  LeakProbe probe() {
    return probe;
  }

  ServletContext servletContext() {
    return servletContext;
  }

  void close() {
    plain.dispatcher().executorService().shutdown();
    plain.connectionPool().evictAll();
  }

  /** What the application sees of the decision on the current thread. */
  Map<String, String> observe(HttpServletRequest request, boolean callDownstream) {
    Map<String, String> seen = new LinkedHashMap<>();
    seen.put("user", String.valueOf(request.getHeader("x-user-id")));
    seen.put("dispatch", request.getDispatcherType().name());
    seen.put("current", format(FlagContext.current()));
    seen.put("attribute", request.getAttribute(FlagRoutingFilter.FLAG_CONTEXT_ATTRIBUTE) instanceof FlagContext flags
        ? format(flags) : "none");
    seen.put("headers", flagHeaders(request));
    seen.put("inapp", inAppVariants());
    seen.put("mdc", String.valueOf(MDC.get(MDC_KEY)));
    if (callDownstream) {
      seen.put("downstream", call(stamping, new Request.Builder().url(downstream)));
      if (request.getParameter("copy") != null) {
        seen.put("copied", call(plain, copyHeaders(request)));
      }
    }
    return seen;
  }

  /**
   * What the application's own OpenFeature calls return, or the error they threw: a provider that
   * fails the app's calls is the app's concern, and must not hide what routing did.
   */
  private String inAppVariants() {
    try {
      return inApp.getStringValue("checkout", "v1") + "," + inApp.getStringValue("search", "off");
    } catch (Error e) {
      return "error " + e.getClass().getSimpleName();
    }
  }

  /** Variants as {@code checkout=v2,search=on}. */
  static String format(FlagContext flags) {
    return flags.variantSummary();
  }

  /** The flag headers the application sees, sorted, as {@code name:value;name:value}. */
  private String flagHeaders(HttpServletRequest request) {
    List<String> headers = new ArrayList<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      if (codec.owns(name)) {
        headers.add(name.toLowerCase() + ":" + String.join("|", Collections.list(request.getHeaders(name))));
      }
    }
    Collections.sort(headers);
    return String.join(";", headers);
  }

  /**
   * What naive forwarding code does: copy every inbound {@code x-} header and {@code baggage} onto
   * the outbound call.
   */
  private Request.Builder copyHeaders(HttpServletRequest request) {
    Request.Builder outbound = new Request.Builder().url(downstream);
    for (String name : Collections.list(request.getHeaderNames())) {
      if (forwarded(name) && !name.equalsIgnoreCase("x-user-id")) {
        outbound.header(name, request.getHeader(name));
      }
    }
    return outbound;
  }

  private static boolean forwarded(String name) {
    return name.toLowerCase().startsWith("x-") || name.equalsIgnoreCase("baggage");
  }

  private static String call(OkHttpClient client, Request.Builder request) {
    try (Response response = client.newCall(request.build()).execute()) {
      return response.body().string();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(HttpServletResponse response, Map<String, String> lines) throws IOException {
    response.setContentType("text/plain;charset=utf-8");
    PrintWriter writer = response.getWriter();
    lines.forEach((key, value) -> writer.print(key + "=" + value + "\n"));
    writer.flush();
  }

  /** Reports what it sees and what its outbound calls carried. */
  private final class EchoServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      write(response, observe(request, true));
    }
  }

  /**
   * Starts async processing, does the work in {@code AsyncContext.start} on a container thread,
   * then dispatches back; the async dispatch reports both threads' view.
   */
  private final class AsyncServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      if (request.getDispatcherType() == DispatcherType.ASYNC) {
        Map<String, String> lines = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, String> started = (Map<String, String>) request.getAttribute(ASYNC_START);
        started.forEach((key, value) -> lines.put("start." + key, value));
        lines.putAll(observe(request, false));
        write(response, lines);
        return;
      }
      AsyncContext async = request.startAsync();
      async.start(() -> {
        HttpServletRequest asyncRequest = (HttpServletRequest) async.getRequest();
        asyncRequest.setAttribute(ASYNC_START, observe(asyncRequest, true));
        async.dispatch();
      });
    }
  }

  /** Starts async processing that times out; the listener answers with what it sees. */
  private final class TimeoutServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
      AsyncContext async = request.startAsync();
      async.setTimeout(50);
      async.addListener(new AsyncListener() {
        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
          Map<String, String> lines = observe((HttpServletRequest) event.getAsyncContext().getRequest(), true);
          write((HttpServletResponse) event.getAsyncContext().getResponse(), lines);
          event.getAsyncContext().complete();
        }

        @Override
        public void onComplete(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {}

        @Override
        public void onStartAsync(AsyncEvent event) {}
      });
    }
  }

  /**
   * Reads the whole body, then reports what the application sees: the {@code x-} and
   * {@code baggage} header names (sorted, lowercase), the value of each header a client may send
   * (as {@code getHeader}, with the count {@code getHeaders} gives), the trailer fields, and what a
   * naive copy of those headers carries downstream. Answers with a Content-Length.
   */
  private final class ViewServlet extends HttpServlet {
    private static final List<String> SENT = List.of("x-flag-checkout", "x-flag-search", "x-flag-bogus", "x-flags",
        "baggage", "x-flagroute-override", "x-other");

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      request.getInputStream().readAllBytes();
      Map<String, String> lines = new LinkedHashMap<>();
      lines.put("names", Collections.list(request.getHeaderNames()).stream().filter(FlagTestApp::forwarded)
          .map(String::toLowerCase).sorted().collect(java.util.stream.Collectors.joining(",")));
      for (String name : SENT) {
        lines.put(name, request.getHeader(name) + "#" + Collections.list(request.getHeaders(name)).size());
      }
      lines.put("trailers", request.isTrailerFieldsReady() ? new java.util.TreeMap<>(request.getTrailerFields())
          .toString() : "not ready");
      if (request.getParameter("copy") != null) {
        lines.put("copied", call(plain, copyHeaders(request)));
      }
      StringBuilder body = new StringBuilder();
      lines.forEach((key, value) -> body.append(key).append('=').append(value).append('\n'));
      byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      response.setContentType("text/plain;charset=utf-8");
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }

  /** Fails, so that the container dispatches to the error page. */
  private static final class BoomServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException {
      throw new ServletException("boom (expected by the test)");
    }
  }
}
