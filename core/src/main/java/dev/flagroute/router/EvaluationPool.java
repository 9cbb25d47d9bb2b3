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
 * provider that hangs. At most {@link #MAX_ACTIVE} evaluations run at once. One that has run for
 * {@link #stuckAfter} (ten times the deadline, at least a second) is taken as stuck: it no longer
 * counts, so a new thread can take its place, and its listener and router are told (a metric, one
 * warning a minute). Stuck threads are never interrupted (an interrupt closes a channel that a
 * thread blocks on, which may be the provider's own connection); they are left to return, and all
 * threads together are capped at {@link #MAX_THREADS}, which bounds threads and memory however
 * often the provider hangs. Once the cap is reached, a miss gets default variants until stuck
 * evaluations return.
 *
 * <p>Stuck evaluations are looked for when an evaluation is submitted, by the router's clock, so
 * the pool needs no thread of its own.
 */
final class EvaluationPool {
  /** The most evaluations that run at once and are not stuck. */
  static final int MAX_ACTIVE = 16;
  /** The most threads, stuck ones included. */
  static final int MAX_THREADS = 64;

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

  EvaluationPool(Duration deadline, Events events, Clock clock) {
    this.events = events;
    this.clock = clock;
    this.stuckAfterMillis = stuckAfter(deadline).toMillis();
    AtomicInteger threads = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
      Thread thread = new Thread(task, "flagroute-evaluation-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** How long an evaluation runs before it is taken as stuck: ten times the deadline, at least a second. */
  static Duration stuckAfter(Duration deadline) {
    Duration tenTimes = deadline.multipliedBy(10);
    return tenTimes.compareTo(MIN_STUCK_AFTER) < 0 ? MIN_STUCK_AFTER : tenTimes;
  }

  /**
   * Runs {@code work} on an evaluation thread, or returns false if every thread is busy. If it is
   * taken as stuck, {@code onStuck} runs (on the submitting thread of a later call).
   */
  boolean submit(Runnable work, Runnable onStuck) {
    findStuck();
    if (active.incrementAndGet() > MAX_ACTIVE) {
      active.decrementAndGet();
      log.debug("all {} flag evaluation threads are busy; taking defaults", MAX_ACTIVE);
      return false;
    }
    Evaluation evaluation = new Evaluation(clock.millis(), onStuck);
    running.add(evaluation);
    try {
      executor.execute(() -> run(evaluation, work));
      return true;
    } catch (RejectedExecutionException e) {
      running.remove(evaluation);
      active.decrementAndGet();
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
    final AtomicInteger state = new AtomicInteger(RUNNING);

    Evaluation(long startMillis, Runnable onStuck) {
      this.startMillis = startMillis;
      this.onStuck = onStuck;
    }
  }
}
