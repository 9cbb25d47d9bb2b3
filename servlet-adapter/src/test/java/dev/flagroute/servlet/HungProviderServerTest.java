package dev.flagroute.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The outside testers' hang-forever probe on a real Jetty edge with a deadline: while the provider's
 * calls hang (on a latch released only when the test ends, so they never return within it), every
 * request is answered with default variants; once the provider answers new calls, new users are
 * evaluated again, on the real clock (a second to find calls stuck, then a probe), and the
 * evaluation threads stay within their cap.
 */
class HungProviderServerTest {
  private static final OkHttpClient CLIENT = new OkHttpClient.Builder().callTimeout(Duration.ofMinutes(2))
      .readTimeout(Duration.ZERO).build();

  private final CountDownLatch forever = new CountDownLatch(1);
  private final AtomicBoolean hanging = new AtomicBoolean(true);
  private final AtomicInteger hungCalls = new AtomicInteger();
  private final AtomicInteger hungReturned = new AtomicInteger();
  private final OpenFeatureAPI openFeature = OpenFeatureAPI.createIsolated();
  private Server server;

  @AfterEach
  void stop() throws Exception {
    forever.countDown();
    server.stop();
    openFeature.shutdown();
  }

  @Test
  void anEdgeRecoversFromCallsThatNeverReturn() throws Exception {
    openFeature.setProviderAndWait(new InMemoryProvider(Map.of(
        "checkout", Flag.<String>builder().variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
            .contextEvaluator((flag, context) -> {
              if (hanging.get()) {
                hungCalls.incrementAndGet();
                awaitForever();
                hungReturned.incrementAndGet();
              }
              return "v2";
            }).build(),
        "search", Flag.<String>builder().variant("off", "off").variant("on", "on").defaultVariant("off").build())));
    FlagRouter router = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.EDGE).client(openFeature.getClient())
        .deadline(Duration.ofMillis(50)).build();
    server = start(FlagRoutingFilter.builder(router).targetingKey(TargetingKeySource.header("x-user-id")).build());

    // six seconds of traffic while every call hangs: long enough for calls that never return to
    // fill all 64 threads at 16 a second, were each stuck call simply replaced
    ExecutorService users = Executors.newFixedThreadPool(8);
    long hangUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    AtomicInteger sent = new AtomicInteger();
    try {
      List<Future<List<String>>> answers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        answers.add(users.submit(() -> {
          List<String> seen = new ArrayList<>();
          while (System.nanoTime() < hangUntil) {
            seen.add(get("hung-" + sent.incrementAndGet()));
          }
          return seen;
        }));
      }
      for (Future<List<String>> answer : answers) {
        assertThat(answer.get(2, TimeUnit.MINUTES)).containsOnly("checkout=v1,search=off");
      }
    } finally {
      users.shutdown();
    }
    assertThat(hungCalls.get()).as("16 at first, then one probe at a time, backing off").isBetween(16, 32);

    hanging.set(false);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    int attempt = 0;
    while (!get("healed-" + attempt).startsWith("checkout=v2") && System.nanoTime() < deadline) {
      attempt++;
      Thread.sleep(20);
    }
    assertThat(get("healed-" + attempt)).as("a new user is evaluated again").startsWith("checkout=v2");
    assertThat(Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("flagroute-evaluation-"))).hasSizeLessThanOrEqualTo(64);
    assertThat(hungReturned.get()).as("the hung calls never returned").isZero();
  }

  /** Waits for the latch, ignoring interrupts, as a call on a dead connection might. */
  private void awaitForever() {
    boolean interrupted = false;
    while (forever.getCount() > 0) {
      try {
        forever.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private String get(String user) throws IOException {
    String url = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/product";
    try (Response response = CLIENT.newCall(new Request.Builder().url(url).header("x-user-id", user).build())
        .execute()) {
      assertThat(response.code()).isEqualTo(200);
      return response.body().string();
    }
  }

  private static Server start(FlagRoutingFilter filter) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.getWriter().write(FlagContext.current().variantSummary());
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    return server;
  }
}
