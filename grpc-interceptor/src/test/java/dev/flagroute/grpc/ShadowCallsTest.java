package dev.flagroute.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.grpc.GrpcTestKit.Transport;
import dev.flagroute.router.FlagRouter;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dark launches over real gRPC servers: reviews (relay) writes and calls ratings (relay), which
 * writes too, each skipping its write in a shadow ({@code GrpcFlagContext.current().isShadow()},
 * the same as {@code FlagContext.current().isShadow()} in the handler). Mirrored copies (a call
 * authority ending in {@code -shadow}, {@code ServerCall.getAuthority()}, or the marker metadata)
 * and users' calls interleave from many threads: no copy writes, every user call writes twice.
 */
class ShadowCallsTest {
  private static final int THREADS = 16;
  private static final int CALLS = 50;
  private static final Metadata.Key<String> MARKER =
      Metadata.Key.of(FlagRouter.DEFAULT_SHADOW_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  private final GrpcTestKit kit = new GrpcTestKit();
  private final AtomicInteger reviewsWrites = new AtomicInteger();
  private final AtomicInteger ratingsWrites = new AtomicInteger();
  private final AtomicReference<Metadata> seen = new AtomicReference<>();

  @AfterEach
  void shutDown() throws InterruptedException {
    kit.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aShadowsWritesAreSkippedOnEveryHop(Transport transport) throws Exception {
    FlagRouter relay = TestFlags.relay();
    Server ratings = kit.server(transport, kit.executor("ratings", 4), GrpcTestKit.unaryService(request -> {
      boolean shadow = GrpcFlagContext.current().isShadow();
      if (!shadow) {
        ratingsWrites.incrementAndGet();
      }
      return "ratings shadow=" + shadow;
    }), FlagServerInterceptor.builder(relay).build());
    ManagedChannel toRatings = kit.channel(transport, ratings, FlagClientInterceptor.create(relay.codec()));
    Server reviews = kit.server(transport, kit.executor("reviews", 4), GrpcTestKit.unaryService(request -> {
      boolean shadow = FlagContext.current().isShadow();
      if (!shadow) {
        reviewsWrites.incrementAndGet();
      }
      return "reviews shadow=" + shadow + " " + GrpcTestKit.unary(toRatings, new Metadata(), request);
    }), FlagServerInterceptor.builder(relay).build());
    ManagedChannel toReviews = kit.channel(transport, reviews);

    ExecutorService callers = kit.executor("caller", THREADS);
    List<Future<String>> replies = new ArrayList<>();
    for (int i = 0; i < THREADS * CALLS; i++) {
      int kind = i % 3;
      replies.add(callers.submit(() -> {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-flag-checkout", Metadata.ASCII_STRING_MARSHALLER), "v2");
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (kind == 1) {
          options = options.withAuthority("reviews-shadow:9090");
        } else if (kind == 2) {
          headers.put(MARKER, "1");
        }
        Channel channel = ClientInterceptors.intercept(toReviews, MetadataUtils.newAttachHeadersInterceptor(headers));
        return kind + " " + ClientCalls.blockingUnaryCall(channel, GrpcTestKit.method(MethodType.UNARY), options, "x");
      }));
    }
    for (Future<String> reply : replies) {
      String body = reply.get(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      boolean shadow = !body.startsWith("0 ");
      assertThat(body).isEqualTo(body.charAt(0) + " reviews shadow=" + shadow + " ratings shadow=" + shadow);
    }
    int users = (THREADS * CALLS + 2) / 3;
    assertThat(reviewsWrites).hasValue(users);
    assertThat(ratingsWrites).as("the marker travels to the next hop").hasValue(users);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theApplicationSeesTheMarkerFromTheContextNeverAsSent(Transport transport) throws Exception {
    FlagRouter relay = TestFlags.relay();
    Server server = kit.server(transport, kit.executor("server", 2),
        GrpcTestKit.unaryService(request -> request), FlagServerInterceptor.builder(relay).build(),
        GrpcTestKit.capturing(seen));
    ManagedChannel channel = kit.channel(transport, server);

    Metadata odd = new Metadata();
    odd.put(MARKER, "maybe");
    GrpcTestKit.unary(channel, odd, "x");
    assertThat(seen.get().get(MARKER)).as("an odd marker is not a shadow and is not shown").isNull();

    Metadata marked = new Metadata();
    marked.put(MARKER, " TRUE ");
    GrpcTestKit.unary(channel, marked, "x");
    assertThat(seen.get().get(MARKER)).isEqualTo("1");
  }
}
