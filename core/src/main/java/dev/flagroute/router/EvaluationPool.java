package dev.flagroute.router;

import dev.flagroute.internal.Fatal;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon threads that evaluate flags when the router has a deadline, and the recovery from a
 * provider that hangs, even on calls that never return.
 *
 * <p>An evaluation that has run for {@link #stuckAfter} (ten times the deadline, at least a
 * second) is taken as stuck: it no longer counts as running, and its listener and router are told
 * (a metric, one warning a minute). Stuck threads are never interrupted (an interrupt closes a
 * channel that a thread blocks on, which may be the provider's own connection); they are left to
 * return, if ever. The bounds:
 *
 * <ul>
 *   <li><b>Threads</b>: never more than {@link #MAX_THREADS} (64) evaluation threads, stuck ones
 *       included, however long and however often the provider hangs.
 *   <li><b>Concurrency</b>: at most {@link #MAX_ACTIVE} (16) evaluations run at once, and no more
 *       than a quarter of the threads not held by stuck calls (at least one), so every hang leaves
 *       room for the next.
 *   <li><b>Probing</b>: once an evaluation is found stuck, the pool suspects the provider: only
 *       one evaluation (a probe, a real request's) runs at a time. A probe that is found stuck too
 *       delays the next one, by {@code stuckAfter} after the first, then twice as long each time
 *       (at most 2<sup>20</sup> times); any evaluation that returns in time ends the suspicion and
 *       full concurrency is back. So a provider that hangs for a time {@code E} costs at most the
 *       evaluations running when it began plus about {@code log2(E / stuckAfter) + 2} probe
 *       threads.
 *   <li><b>Recovery</b>: once the provider answers new calls again, evaluation resumes within
 *       {@code E + 2 * stuckAfter} of the next cache miss, {@code E} being how long the provider
 *       had hung (from its first stuck call), as long as stuck calls hold fewer than
 *       {@link #MAX_THREADS} threads; only a provider that has left 64 calls hanging for good
 *       exhausts the pool, and then every miss takes default variants until one returns.
 * </ul>
 *
 * <p>Stuck evaluations are looked for when an evaluation is submitted, by the router's clock, so
 * the pool needs no thread of its own.
 */
final class EvaluationPool {
  /** The most evaluations that run at once and are not stuck. */
  static final int MAX_ACTIVE = 16;
  /** The most threads, stuck ones included. */
  static final int MAX_THREADS = 64;
  /** The most doublings of the wait between probes. */
  static final int MAX_BACK_OFF_DOUBLINGS = 20;

  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);
  private static final Duration MIN_STUCK_AFTER = Duration.ofSeconds(1);

  private final ThreadPoolExecutor executor;
  private final Events events;
  private final Clock clock;
  private final long stuckAfterMillis;
  private final Set<Evaluation> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger stuck = new AtomicInteger();
  private final ReentrantLock scanning = new ReentrantLock();
  private final ProbeGate probes;

  EvaluationPool(Duration deadline, Events events, Clock clock) {
    this.events = events;
    this.clock = clock;
    this.stuckAfterMillis = stuckAfter(deadline).toMillis();
    this.probes = new ProbeGate(stuckAfterMillis, MAX_BACK_OFF_DOUBLINGS);
    AtomicInteger threads = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
      Thread thread = new Thread(task, "flagroute-evaluation-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** How many evaluations may run at once while {@code stuck} threads are held: a quarter of the rest, 1 to 16. */
  static int concurrency(int stuck) {
    return Math.max(1, Math.min(MAX_ACTIVE, (MAX_THREADS - stuck) / 4));
  }

  /** How long an evaluation runs before it is taken as stuck: ten times the deadline, at least a second. */
  static Duration stuckAfter(Duration deadline) {
    Duration tenTimes = deadline.multipliedBy(10);
    return tenTimes.compareTo(MIN_STUCK_AFTER) < 0 ? MIN_STUCK_AFTER : tenTimes;
  }

  /**
   * Runs {@code work} on an evaluation thread, or returns false if no evaluation may start now (too
   * many running, the thread cap reached, or a suspected provider's probe running or not yet due).
   * If it is taken as stuck, {@code onStuck} runs (on the submitting thread of a later call).
   */
  boolean submit(Runnable work, Runnable onStuck) {
    findStuck();
    long now = clock.millis();
    boolean probe = probes.suspecting();
    if (probe && !probes.tryStart(now)) {
      log.debug("flag evaluations are stuck in the provider and a probe is running or not yet due; taking defaults");
      return false;
    }
    int limit = probe ? 1 : concurrency(stuck.get());
    if (active.incrementAndGet() > limit || active.get() + stuck.get() > MAX_THREADS) {
      active.decrementAndGet();
      if (probe) {
        probes.cancel();
      }
      log.debug("{} flag evaluations are running and {} stuck; taking defaults", limit, stuck.get());
      return false;
    }
    Evaluation evaluation = new Evaluation(now, onStuck, probe);
    running.add(evaluation);
    try {
      executor.execute(() -> run(evaluation, work));
      return true;
    } catch (RejectedExecutionException e) {
      running.remove(evaluation);
      active.decrementAndGet();
      if (probe) {
        probes.cancel();
      }
      log.debug("all {} flag evaluation threads are taken, {} by stuck evaluations; taking defaults", MAX_THREADS,
          stuck.get());
      return false;
    }
  }

  private void run(Evaluation evaluation, Runnable work) {
    try {
      work.run();
    } finally {
      running.remove(evaluation);
      if (evaluation.state.compareAndSet(Evaluation.RUNNING, Evaluation.DONE)) {
        probes.answered(evaluation.probe);
        active.decrementAndGet();
      } else {
        stuck.decrementAndGet();
        log.debug("a stuck flag evaluation returned");
      }
    }
  }

  /**
   * Takes evaluations that ran too long as stuck: a look at each of at most {@link #MAX_THREADS},
   * one thread at a time, so that one look finds all of them at once.
   */
  private void findStuck() {
    if (running.isEmpty()) {
      return;
    }
    int found = 0;
    scanning.lock();
    try {
      long now = clock.millis();
      for (Evaluation evaluation : running) {
        if (now - evaluation.startMillis >= stuckAfterMillis
            && evaluation.state.compareAndSet(Evaluation.RUNNING, Evaluation.STUCK)) {
          active.decrementAndGet();
          found++;
          probes.stuck(evaluation.probe, now);
          events.evaluationStuck(stuck.incrementAndGet());
          runQuietly(evaluation.onStuck);
        }
      }
    } finally {
      scanning.unlock();
    }
    if (found > 0) {
      events.stuckEvaluationsFound(stuck.get(), Duration.ofMillis(stuckAfterMillis), MAX_THREADS);
    }
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("clean-up of a stuck flag evaluation failed", e);
    }
  }

  /** One evaluation on a thread: when it started, and whether it is running, stuck or done. */
  private static final class Evaluation {
    static final int RUNNING = 0;
    static final int STUCK = 1;
    static final int DONE = 2;

    final long startMillis;
    final Runnable onStuck;
    final boolean probe;
    final AtomicInteger state = new AtomicInteger(RUNNING);

    Evaluation(long startMillis, Runnable onStuck, boolean probe) {
      this.startMillis = startMillis;
      this.onStuck = onStuck;
      this.probe = probe;
    }
  }
}
