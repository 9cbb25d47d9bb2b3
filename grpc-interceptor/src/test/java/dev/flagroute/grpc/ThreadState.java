package dev.flagroute.grpc;

import dev.flagroute.context.FlagContext;
import io.grpc.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** What is current on a thread: flagroute's scope and gRPC's context. */
record ThreadState(String thread, FlagContext scoped, Context grpc) {
  static ThreadState capture() {
    return new ThreadState(Thread.currentThread().getName(), FlagContext.current(), Context.current());
  }

  /** Whether nothing is left on the thread. */
  boolean isClean() {
    return scoped.isEmpty() && grpc == Context.ROOT;
  }

  /**
   * The state of every thread of {@code executor}, which has {@code threads} threads: the probes
   * wait for each other, so each runs on a thread of its own.
   */
  static List<ThreadState> ofEveryThread(ExecutorService executor, int threads) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(threads);
    List<Future<ThreadState>> probes = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      probes.add(executor.submit(() -> {
        barrier.await(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return capture();
      }));
    }
    List<ThreadState> states = new ArrayList<>();
    for (Future<ThreadState> probe : probes) {
      states.add(probe.get(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    return states;
  }
}
