package dev.flagroute.router;

/**
 * Whether the evaluation pool suspects the provider of hanging, and when its next probe may start:
 * suspected from the first evaluation found stuck until any evaluation returns in time; one probe
 * at a time; after a probe is found stuck the next waits {@code stuckAfter}, then twice as long each
 * time, up to {@code 2^maxDoublings} times. Thread-safe.
 */
final class ProbeGate {
  private final long stuckAfterMillis;
  private final int maxDoublings;
  private boolean suspecting;
  private boolean probing;
  private int stuckProbes;
  private long nextProbeMillis;

  ProbeGate(long stuckAfterMillis, int maxDoublings) {
    this.stuckAfterMillis = stuckAfterMillis;
    this.maxDoublings = maxDoublings;
  }

  /** Whether evaluations run only as probes now. */
  synchronized boolean suspecting() {
    return suspecting;
  }

  /** Starts a probe if none is running and one is due at {@code nowMillis}; whether it started. */
  synchronized boolean tryStart(long nowMillis) {
    if (!suspecting) {
      return true;
    }
    if (probing || nowMillis < nextProbeMillis) {
      return false;
    }
    probing = true;
    return true;
  }

  /** A started probe did not run after all. */
  synchronized void cancel() {
    probing = false;
  }

  /** An evaluation ({@code probe} or not) returned in time: the provider answers again. */
  synchronized void answered(boolean probe) {
    if (probe) {
      probing = false;
    }
    suspecting = false;
    stuckProbes = 0;
  }

  /** An evaluation ({@code probe} or not) was found stuck at {@code nowMillis}. */
  synchronized void stuck(boolean probe, long nowMillis) {
    if (probe) {
      probing = false;
      long wait = stuckAfterMillis << Math.min(stuckProbes, maxDoublings);
      stuckProbes++;
      nextProbeMillis = nowMillis + wait;
    } else if (!suspecting) {
      suspecting = true;
      stuckProbes = 0;
      nextProbeMillis = nowMillis;
    }
  }
}
