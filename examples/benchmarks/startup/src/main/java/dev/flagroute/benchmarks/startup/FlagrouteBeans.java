package dev.flagroute.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Deque;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;

/**
 * Sums the main thread's CPU time spent creating flagroute's own beans (named {@code flag...}, or
 * of a {@code dev.flagroute} type), without the application's and Boot's beans that one of them
 * happens to create first (the {@code MeterRegistry}, the application's {@code OpenFeatureAPI}):
 * they would be created anyway. Measured in the one JVM, so without the run-to-run noise of the
 * JIT and of other processes; auto-configuration processing and class loading outside bean creation
 * are not in it, the with/without difference covers them.
 */
final class FlagrouteBeans implements InstantiationAwareBeanPostProcessor {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Deque<Frame> creating = new ArrayDeque<>();
  private long nanos;

  @Override
  public Object postProcessBeforeInstantiation(Class<?> beanClass, String beanName) {
    creating.push(new Frame(beanName, isFlagroute(beanClass.getName(), beanName), THREADS.getCurrentThreadCpuTime()));
    return null;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (creating.isEmpty() || !creating.peek().name.equals(beanName)) {
      return bean;
    }
    Frame done = creating.pop();
    long total = THREADS.getCurrentThreadCpuTime() - done.start;
    Frame parent = creating.peek();
    if (done.flagroute && (parent == null || !parent.flagroute)) {
      nanos += total - done.foreign;
    } else if (parent != null && parent.flagroute) {
      parent.foreign += done.flagroute ? done.foreign : total;
    }
    return bean;
  }

  /** The CPU time so far, in milliseconds. */
  long millis() {
    return nanos / 1_000_000;
  }

  private static boolean isFlagroute(String className, String beanName) {
    return className.startsWith("dev.flagroute.") && !className.startsWith("dev.flagroute.benchmarks.")
        || beanName.startsWith("flag");
  }

  /** A bean being created: when it started, and the CPU time of others' beans created inside it. */
  private static final class Frame {
    final String name;
    final boolean flagroute;
    final long start;
    long foreign;

    Frame(String name, boolean flagroute, long start) {
      this.name = name;
      this.flagroute = flagroute;
      this.start = start;
    }
  }
}
