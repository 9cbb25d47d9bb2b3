package dev.flagroute.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagExecutors;
import dev.flagroute.context.FlagScope;
import dev.flagroute.grpc.GrpcTestKit.Transport;
import dev.flagroute.observe.RoutingCounters;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 16 client threads, each with its own variants, make 1,000 calls each through a Netty server that
 * relays to a second Netty server (from the callback thread, through {@code Context.wrap} or through
 * {@code FlagExecutors}), on shared channels and shared server threads. Every reply must carry the
 * caller's variants on both hops, in both scopes: zero cross-talk.
 */
@SuppressWarnings("try")
class ConcurrentCallsTest {
  private static final int THREADS = 16;
  private static final int CALLS_PER_THREAD = 1_000;
  private static final int SERVER_THREADS = 4;

  private final GrpcTestKit kit = new GrpcTestKit();

  @AfterEach
  void shutDown() throws InterruptedException {
    kit.close();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sixteenThreadsTimesAThousandCallsShowNoCrossTalk() throws Exception {
    FlagClientInterceptor stamping = FlagClientInterceptor.create(HeaderCodec.perFlag());
    RoutingCounters counters = new RoutingCounters();
    FlagServerInterceptor relay = FlagServerInterceptor.builder(TestFlags.relay(HeaderCodec.perFlag(), counters)).build();

    ExecutorService innerThreads = kit.executor("inner", SERVER_THREADS);
    Server inner = kit.server(Transport.NETTY, innerThreads,
        GrpcTestKit.unaryService(request -> request + " inner=" + FlagContext.current().variants() + GrpcFlagContext.current().variants()),
        relay);
    ManagedChannel toInner = kit.channel(Transport.NETTY, inner, stamping);

    ExecutorService handoff = kit.executor("handoff", SERVER_THREADS);
    ExecutorService outerThreads = kit.executor("outer", SERVER_THREADS);
    Server outer = kit.server(Transport.NETTY, outerThreads, GrpcTestKit.unaryService(request -> {
      String seen = " outer=" + FlagContext.current().variants() + GrpcFlagContext.current().variants();
      Callable<String> next = () -> GrpcTestKit.unary(toInner, new Metadata(), request);
      Future<String> innerReply = switch (Math.floorMod(request.hashCode(), 3)) {
        case 0 -> CompletableFuture.completedFuture(next.call());
        case 1 -> handoff.submit(Context.current().wrap(next));
        default -> FlagExecutors.wrap(handoff).submit(next);
      };
      return innerReply.get(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS) + seen;
    }), relay);
    ManagedChannel toOuter = kit.channel(Transport.NETTY, outer, stamping);

    ExecutorService clients = kit.executor("client", THREADS);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      results.add(clients.submit(() -> callerThread(thread, toOuter)));
    }
    List<String> crossTalk = new ArrayList<>();
    for (Future<List<String>> result : results) {
      crossTalk.addAll(result.get(4, TimeUnit.MINUTES));
    }

    assertThat(crossTalk).isEmpty();
    assertThat(counters.decisions()).isEqualTo(2L * THREADS * CALLS_PER_THREAD);
    assertThat(counters.dropped()).isZero();
    assertThat(ThreadState.ofEveryThread(outerThreads, SERVER_THREADS)).allMatch(ThreadState::isClean);
    assertThat(ThreadState.ofEveryThread(innerThreads, SERVER_THREADS)).allMatch(ThreadState::isClean);
    assertThat(ThreadState.ofEveryThread(handoff, SERVER_THREADS)).allMatch(ThreadState::isClean);
    assertThat(ThreadState.ofEveryThread(clients, THREADS)).allMatch(ThreadState::isClean);
  }

  /** Makes this thread's calls and returns every reply that did not carry its own variants. */
  private static List<String> callerThread(int thread, ManagedChannel channel) throws Exception {
    FlagContext mine = TestFlags.context("v" + (thread % 3 + 1), thread % 2 == 0 ? "on" : "off", "c" + thread);
    String variants = mine.variants().toString();
    Queue<String> wrong = new ConcurrentLinkedQueue<>();
    for (int call = 0; call < CALLS_PER_THREAD; call++) {
      String request = "t" + thread + "-" + call;
      String reply;
      try (FlagScope ignored = mine.makeCurrent()) {
        reply = GrpcTestKit.unary(channel, new Metadata(), request);
        if (FlagContext.current() != mine) {
          wrong.add(request + ": scope changed under the caller");
        }
      }
      String expected = request + " inner=" + variants + variants + " outer=" + variants + variants;
      if (!reply.equals(expected)) {
        wrong.add(request + ": " + reply);
      }
    }
    return List.copyOf(wrong);
  }
}
