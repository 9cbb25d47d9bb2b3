package dev.flagroute.verdict;

/**
 * How the variants of a flag are compared with its default variant, and what an edge router does
 * with a {@link VerdictState#WORSE} variant. Immutable; build one with {@link #builder()}.
 *
 * <p>Two measures are compared, each by a mixture sequential probability ratio test (mSPRT) on the
 * difference of two proportions, which stays valid however often it is looked at, so a verdict
 * can be read after every request: the share of failed requests, and the share of requests slower
 * than the default variant's {@link #slowQuantile()} (its p95 unless configured), measured once on
 * the default's first {@link #calibrationRequests()} requests and then fixed. A measure says
 * nothing until both sides have {@link #minRequests()} requests; it turns
 * {@link VerdictState#WORSE} or {@link VerdictState#BETTER} when its always-valid p-value falls to
 * {@link #alpha()} or below, in the direction of the observed difference, and stays there. The
 * false-alarm bound of each measure is {@code alpha} for both directions together, in the normal
 * approximation; the numbers measured by simulation are in the documentation
 * ({@code docs/verdicts-and-ramps.md}).
 *
 * @param alpha the bound on a measure's false verdicts (WORSE or BETTER when there is no
 *     difference), over all the looks, in (0, 0.5]
 * @param minRequests the fewest requests on each side before a measure decides anything, at least 1
 * @param errorDifference the difference of error ratios the test is tuned to find fastest (the
 *     mixture's spread), in (0, 1); smaller differences are found too, more slowly
 * @param slowShareDifference the same for the share of slow requests, in (0, 1)
 * @param slowQuantile the quantile of the default's latency a request must exceed to count as
 *     slow, in (0.5, 1)
 * @param calibrationRequests the default variant's first requests whose latency quantile becomes
 *     the slow threshold, at least 100
 * @param holdBackWorse whether an edge router gives requests decided for a WORSE variant the
 *     default variant instead (reason {@code GUARDED}), for as long as the router lives
 */
public record VerdictPolicy(double alpha, int minRequests, double errorDifference, double slowShareDifference,
    double slowQuantile, int calibrationRequests, boolean holdBackWorse) {
  /** Alpha unless configured: 0.05. */
  public static final double DEFAULT_ALPHA = 0.05;
  /** Fewest requests per side unless configured: 1,000. */
  public static final int DEFAULT_MIN_REQUESTS = 1_000;
  /** Error-ratio difference unless configured: 0.01 (one percentage point). */
  public static final double DEFAULT_ERROR_DIFFERENCE = 0.01;
  /** Slow-share difference unless configured: 0.05. */
  public static final double DEFAULT_SLOW_SHARE_DIFFERENCE = 0.05;
  /** Slow quantile unless configured: 0.95 (p95). */
  public static final double DEFAULT_SLOW_QUANTILE = 0.95;
  /** Calibration requests unless configured: 1,000. */
  public static final int DEFAULT_CALIBRATION_REQUESTS = 1_000;

  /** Checks every bound. */
  public VerdictPolicy {
    if (!(alpha > 0 && alpha <= 0.5)) {
      throw new IllegalArgumentException("alpha must be above 0 and at most 0.5, was " + alpha);
    }
    if (minRequests < 1) {
      throw new IllegalArgumentException("minimum requests must be at least 1, was " + minRequests);
    }
    if (!(errorDifference > 0 && errorDifference < 1)) {
      throw new IllegalArgumentException("error difference must be above 0 and below 1, was " + errorDifference);
    }
    if (!(slowShareDifference > 0 && slowShareDifference < 1)) {
      throw new IllegalArgumentException("slow share difference must be above 0 and below 1, was "
          + slowShareDifference);
    }
    if (!(slowQuantile > 0.5 && slowQuantile < 1)) {
      throw new IllegalArgumentException("slow quantile must be above 0.5 and below 1, was " + slowQuantile);
    }
    if (calibrationRequests < 100) {
      throw new IllegalArgumentException("calibration requests must be at least 100, was " + calibrationRequests);
    }
  }

  /** The policy with every default. */
  public static VerdictPolicy defaults() {
    return builder().build();
  }

  /** Starts a policy with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link VerdictPolicy}; every value starts at its default. */
  public static final class Builder {
    private double alpha = DEFAULT_ALPHA;
    private int minRequests = DEFAULT_MIN_REQUESTS;
    private double errorDifference = DEFAULT_ERROR_DIFFERENCE;
    private double slowShareDifference = DEFAULT_SLOW_SHARE_DIFFERENCE;
    private double slowQuantile = DEFAULT_SLOW_QUANTILE;
    private int calibrationRequests = DEFAULT_CALIBRATION_REQUESTS;
    private boolean holdBackWorse;

    private Builder() {}

    /** The bound on a measure's false verdicts, in (0, 0.5]. */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** The fewest requests on each side before a measure decides anything. */
    public Builder minRequests(int requests) {
      this.minRequests = requests;
      return this;
    }

    /** The difference of error ratios the test is tuned to find fastest, in (0, 1). */
    public Builder errorDifference(double difference) {
      this.errorDifference = difference;
      return this;
    }

    /** The difference of slow-request shares the test is tuned to find fastest, in (0, 1). */
    public Builder slowShareDifference(double difference) {
      this.slowShareDifference = difference;
      return this;
    }

    /** The quantile of the default's latency a request must exceed to count as slow, in (0.5, 1). */
    public Builder slowQuantile(double quantile) {
      this.slowQuantile = quantile;
      return this;
    }

    /** The default variant's first requests whose latency quantile becomes the slow threshold. */
    public Builder calibrationRequests(int requests) {
      this.calibrationRequests = requests;
      return this;
    }

    /** Whether an edge router gives requests decided for a WORSE variant the default instead; off by default. */
    public Builder holdBackWorse(boolean holdBack) {
      this.holdBackWorse = holdBack;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalArgumentException naming the first value out of bounds
     */
    public VerdictPolicy build() {
      return new VerdictPolicy(alpha, minRequests, errorDifference, slowShareDifference, slowQuantile,
          calibrationRequests, holdBackWorse);
    }
  }
}
