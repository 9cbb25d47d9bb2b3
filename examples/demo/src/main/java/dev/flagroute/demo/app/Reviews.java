package dev.flagroute.demo.app;

import dev.flagroute.grpc.FlagClientInterceptor;
import dev.flagroute.router.FlagRouter;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One version of the reviews service: {@code GET /reviews} asks ratings over gRPC and answers with
 * its own hop and the ratings hop. Flags are read by flagroute's filter in front of it (relay
 * mode) and stamped on the gRPC call by {@link FlagClientInterceptor}, which also marks calls made
 * for a mirrored copy as shadows. Each answered request records a view ({@link Writes}), unless it
 * is a mirrored copy. While {@code failing} says so, it answers every request with 503, as a broken
 * release would.
 */
public final class Reviews extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final String version;
  private final transient Channel ratings;
  private final transient BooleanSupplier failing;
  private final transient Writes writes;

  /**
   * Reviews {@code version}, calling ratings over {@code ratings} (its mesh channel), failing while
   * {@code failing}, recording views in {@code writes}.
   */
  public Reviews(String version, FlagRouter router, Channel ratings, BooleanSupplier failing, Writes writes) {
    this.version = version;
    this.ratings = ClientInterceptors.intercept(ratings, FlagClientInterceptor.create(router.codec()));
    this.failing = failing;
    this.writes = writes;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (failing.getAsBoolean()) {
      response.sendError(503, "reviews " + version + " is failing");
      return;
    }
    String own = Trace.hopLine(Hop.here("reviews", version));
    String rated;
    try {
      rated = ClientCalls.blockingUnaryCall(ratings, RatingsApi.GET,
          CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), "product-1");
    } catch (StatusRuntimeException e) {
      response.sendError(502, "ratings failed: " + e.getStatus());
      return;
    }
    writes.recordView();
    response.setContentType("text/plain;charset=utf-8");
    response.getWriter().write(own + rated);
  }
}
