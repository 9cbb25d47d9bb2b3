package dev.flagroute.demo.app;

import dev.flagroute.context.FlagContext;
import dev.flagroute.okhttp.FlagStampingInterceptor;
import dev.flagroute.router.FlagRouter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The shop's edge: {@code GET /product} answers with the {@link Trace} of the request. The flags
 * are decided by flagroute's filter in front of it (edge mode); this servlet only calls reviews
 * over HTTP with an OkHttp client that stamps the decision on the call.
 */
public final class Frontend extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The header carrying the user id, the OpenFeature targeting key. */
  public static final String USER_HEADER = "x-user-id";

  private final transient OkHttpClient http;
  private final transient URI reviews;

  /**
   * A frontend calling the reviews service at {@code reviews} (its mesh address, or its service
   * name for {@code more} interceptors that route without a mesh).
   */
  public Frontend(FlagRouter router, URI reviews, Interceptor... more) {
    this.reviews = reviews.resolve("/reviews");
    OkHttpClient.Builder builder = new OkHttpClient.Builder().addInterceptor(new FlagStampingInterceptor(router.codec()));
    for (Interceptor interceptor : more) {
      builder.addInterceptor(interceptor);
    }
    this.http = builder
        .callTimeout(Duration.ofSeconds(60))
        .readTimeout(Duration.ZERO)
        .build();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String edge = Trace.edgeLines(FlagContext.current().decisions());
    try (Response downstream = http.newCall(new Request.Builder().url(reviews.toString()).build()).execute()) {
      String body = downstream.body().string();
      if (!downstream.isSuccessful()) {
        response.sendError(502, "reviews answered " + downstream.code() + ": " + body.strip());
        return;
      }
      response.setContentType("text/plain;charset=utf-8");
      response.getWriter().write(edge + body);
    }
  }

  @Override
  public void destroy() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
