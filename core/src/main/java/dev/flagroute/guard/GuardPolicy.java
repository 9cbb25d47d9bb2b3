package dev.flagroute.guard;

import java.time.Duration;
import java.util.Objects;

/**
 * When the rollout guard stops deciding a flag's non-default variant, and when it tries again.
 * Immutable; build one with {@link #builder()}.
 *
 * <p>The guard counts users, not requests: each user (the targeting key, or where there is none
 * the client's identity, as adapters report it in {@code RequestOutcome.user()}) counts at most
 * once per {@link #window()}, and only server-side failures count (see {@code RequestOutcome}). A
 * variant trips when, over the last window, at least {@link #minRequests()} distinct users had an
 * outcome with it, more than {@link #failureRatio()} of them had a failure, at least
 * {@link #minFailingUsers()} of them did, and that ratio exceeds the default variant's by more
 * than {@link #margin()} (so that an outage hitting every version trips nothing). Then new
 * requests get the default variant for {@link #coolDown()}; after that a {@link #probeShare()} of
 * the users (chosen afresh by a keyed hash of the targeting key each time probing starts, so no
 * user can make itself a probe) get the variant again. Once {@link #probeRequests()} distinct
 * probing users have had an outcome and the failure ratio among them is acceptable the guard
 * closes; once {@link #minFailingUsers()} of them failed and the ratio is too high it opens for
 * another cool-down.
 *
 * <p>So a client that controls fewer than {@link #minFailingUsers()} users can neither trip the
 * guard nor keep it open, however many requests it makes them fail.
 *
 * @param failureRatio the share of users with a failure a variant must exceed to trip, in (0, 1)
 * @param minRequests the fewest distinct users with an outcome in the window before the variant can
 *     trip
 * @param margin how much worse than the default variant's failure ratio it must be, in [0, 1)
 * @param window the sliding window users are counted over
 * @param coolDown how long the default is served before probing the variant again
 * @param probeShare the share of the users who get the variant while probing, in (0, 1]
 * @param probeRequests the fewest distinct probing users whose outcomes close the guard
 */
public record GuardPolicy(double failureRatio, int minRequests, double margin, Duration window, Duration coolDown,
    double probeShare, int probeRequests) {
  /** Failure ratio unless configured: 0.5. */
  public static final double DEFAULT_FAILURE_RATIO = 0.5;
  /** Fewest users unless configured: 20. */
  public static final int DEFAULT_MIN_REQUESTS = 20;
  /** Margin over the default variant unless configured: 0.1. */
  public static final double DEFAULT_MARGIN = 0.1;
  /** Window unless configured: 30 seconds. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
  /** Cool-down unless configured: 30 seconds. */
  public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(30);
  /** Probe share unless configured: 0.1. */
  public static final double DEFAULT_PROBE_SHARE = 0.1;
  /** Probing users unless configured: 5. */
  public static final int DEFAULT_PROBE_REQUESTS = 5;

  /** Checks every bound. */
  public GuardPolicy {
    if (!(failureRatio > 0 && failureRatio < 1)) {
      throw new IllegalArgumentException("failure ratio must be above 0 and below 1, was " + failureRatio);
    }
    if (minRequests < 1) {
      throw new IllegalArgumentException("minimum requests must be at least 1, was " + minRequests);
    }
    if (!(margin >= 0 && margin < 1)) {
      throw new IllegalArgumentException("margin must be at least 0 and below 1, was " + margin);
    }
    requirePositive(window, "window");
    requirePositive(coolDown, "cool-down");
    if (!(probeShare > 0 && probeShare <= 1)) {
      throw new IllegalArgumentException("probe share must be above 0 and at most 1, was " + probeShare);
    }
    if (probeRequests < 1) {
      throw new IllegalArgumentException("probe requests must be at least 1, was " + probeRequests);
    }
  }

  /**
   * The fewest distinct failing users that trip the variant or open it again while probing: one
   * more than {@link #failureRatio()} of {@link #minRequests()} (11 with the defaults), at least 2.
   */
  public int minFailingUsers() {
    return Math.max(2, (int) Math.floor(failureRatio * minRequests) + 1);
  }

  private static void requirePositive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero() || duration.toMillis() < 1) {
      throw new IllegalArgumentException(what + " must be at least 1 ms, was " + duration);
    }
  }

  /** The policy with every default. */
  public static GuardPolicy defaults() {
    return builder().build();
  }

  /** Starts a policy with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link GuardPolicy}; every value starts at its default. */
  public static final class Builder {
    private double failureRatio = DEFAULT_FAILURE_RATIO;
    private int minRequests = DEFAULT_MIN_REQUESTS;
    private double margin = DEFAULT_MARGIN;
    private Duration window = DEFAULT_WINDOW;
    private Duration coolDown = DEFAULT_COOL_DOWN;
    private double probeShare = DEFAULT_PROBE_SHARE;
    private int probeRequests = DEFAULT_PROBE_REQUESTS;

    private Builder() {}

    /** The share of users with a failure a variant must exceed to trip, in (0, 1). */
    public Builder failureRatio(double ratio) {
      this.failureRatio = ratio;
      return this;
    }

    /** The fewest distinct users with an outcome in the window before a variant can trip. */
    public Builder minRequests(int requests) {
      this.minRequests = requests;
      return this;
    }

    /** How much worse than the default variant's failure ratio a variant must be, in [0, 1). */
    public Builder margin(double margin) {
      this.margin = margin;
      return this;
    }

    /** The sliding window users are counted over. */
    public Builder window(Duration window) {
      this.window = window;
      return this;
    }

    /** How long the default is served before the variant is probed again. */
    public Builder coolDown(Duration coolDown) {
      this.coolDown = coolDown;
      return this;
    }

    /** The share of the users who get the variant while probing, in (0, 1]. */
    public Builder probeShare(double share) {
      this.probeShare = share;
      return this;
    }

    /** The fewest distinct probing users whose outcomes close the guard. */
    public Builder probeRequests(int requests) {
      this.probeRequests = requests;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalArgumentException naming the first value out of bounds
     */
    public GuardPolicy build() {
      return new GuardPolicy(failureRatio, minRequests, margin, window, coolDown, probeShare, probeRequests);
    }
  }
}
