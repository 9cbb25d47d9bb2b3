package dev.flagroute.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.okhttp.FlagStampingInterceptor;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.openfeature.sdk.OpenFeatureAPI;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dark launches on real Jetty servers: reviews (relay) writes an order and calls ratings (relay),
 * which writes too, each skipping its write when {@code FlagContext.current().isShadow()}. Mirrored
 * copies (a {@code -shadow} Host, as Envoy sends them, or the marker header) and users' requests
 * arrive interleaved from many threads: every user request writes twice, no copy writes anything,
 * and no request is taken for what it is not.
 */
class ShadowSideEffectsTest {
  private static final int THREADS = 16;
  private static final int REQUESTS = 40;
  private static final String MARKER = FlagRouter.DEFAULT_SHADOW_HEADER;

  private final List<Server> servers = new ArrayList<>();
  private final AtomicInteger reviewsWrites = new AtomicInteger();
  private final AtomicInteger ratingsWrites = new AtomicInteger();
  private final AtomicInteger ratingsShadows = new AtomicInteger();
  private final OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60))
      .readTimeout(Duration.ZERO).build();

  @AfterEach
  void stop() throws Exception {
    for (Server server : servers) {
      server.stop();
    }
  }

  @Test
  void aShadowsWritesAreSkippedOnEveryHopWhileUsersRequestsWrite() throws Exception {
    FlagRouter relay = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).build();
    URI ratings = start(relay, new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (FlagContext.current().isShadow()) {
          ratingsShadows.incrementAndGet();
        } else {
          ratingsWrites.incrementAndGet();
        }
        response.getWriter().write("ratings shadow=" + FlagContext.current().isShadow());
      }
    });
    OkHttpClient outbound = client.newBuilder().addInterceptor(new FlagStampingInterceptor(relay.codec())).build();
    URI reviews = start(relay, new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean shadow = FlagContext.current().isShadow();
        if (!shadow) {
          reviewsWrites.incrementAndGet();
        }
        // a copied inbound marker is replaced by the context's: only a shadow's calls carry it
        Request.Builder call = new Request.Builder().url(ratings.resolve("/ratings").toString());
        String seen = request.getHeader(MARKER);
        if (seen != null) {
          call.header(MARKER, seen);
        }
        try (Response downstream = outbound.newCall(call.build()).execute()) {
          response.getWriter().write("reviews shadow=" + shadow + " marker=" + seen + " "
              + downstream.body().string());
        }
      }
    });

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<String>> replies = new ArrayList<>();
      for (int i = 0; i < REQUESTS * THREADS; i++) {
        int kind = i % 4;
        replies.add(pool.submit(() -> {
          Request.Builder request = new Request.Builder().url(reviews.resolve("/reviews").toString())
              .header("x-flag-checkout", "v2");
          if (kind == 1) {
            request.header("Host", "reviews-shadow:9080");
          } else if (kind == 2) {
            request.header(MARKER, "true");
          } else if (kind == 3) {
            request.header(MARKER, "no");
          }
          try (Response response = client.newCall(request.build()).execute()) {
            return kind + " " + response.code() + " " + response.body().string();
          }
        }));
      }
      for (Future<String> reply : replies) {
        String body = reply.get(60, TimeUnit.SECONDS);
        boolean shadow = body.startsWith("1 ") || body.startsWith("2 ");
        assertThat(body).as(body).startsWith(body.charAt(0) + " 200 reviews shadow=" + shadow)
            .endsWith("ratings shadow=" + shadow)
            .contains(" marker=" + (shadow ? "1 " : "null "));
      }
    } finally {
      pool.shutdownNow();
    }
    int users = REQUESTS * THREADS / 2;
    assertThat(reviewsWrites).hasValue(users);
    assertThat(ratingsWrites).as("the marker travels to the next hop").hasValue(users);
    assertThat(ratingsShadows).hasValue(users);
  }

  @Test
  void atTheEdgeAClientCannotMakeItsRequestAShadow() throws Exception {
    OpenFeatureAPI openFeature = OpenFeatureAPI.createIsolated();
    openFeature.setProviderAndWait(TestFlags.provider());
    FlagRouter edge = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.EDGE).client(openFeature.getClient())
        .build();
    URI shop = start(edge, new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!FlagContext.current().isShadow()) {
          reviewsWrites.incrementAndGet();
        }
        response.getWriter().write("shadow=" + FlagContext.current().isShadow() + " marker=" + request.getHeader(MARKER));
      }
    });
    try {
      Request request = new Request.Builder().url(shop.resolve("/pay").toString()).header(MARKER, "1")
          .header("Host", "shop-shadow").build();
      try (Response response = client.newCall(request).execute()) {
        assertThat(response.body().string()).isEqualTo("shadow=false marker=null");
      }
      assertThat(reviewsWrites).as("the payment is taken").hasValue(1);
    } finally {
      openFeature.shutdown();
    }
  }

  private URI start(FlagRouter router, HttpServlet servlet) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder holder = new FilterHolder(FlagRoutingFilter.builder(router).build());
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
    context.addServlet(new ServletHolder(servlet), "/*");
    server.setHandler(context);
    servers.add(server);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }
}
