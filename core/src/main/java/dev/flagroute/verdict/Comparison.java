package dev.flagroute.verdict;

/**
 * One measure of a variant against its flag's default variant: a share of requests with some
 * property (failed, or slower than the default's slow threshold) on each side, and the sequential
 * test's result. Immutable.
 *
 * @param state the test's result for this measure
 * @param variantRequests the variant's requests counted
 * @param variantHits how many of them had the property
 * @param defaultRequests the default variant's requests counted
 * @param defaultHits how many of them had the property
 * @param pValue the always-valid p-value of "both shares are equal", in (0, 1]: the smallest seen
 *     since both sides had the minimum of requests, so it never rises
 */
public record Comparison(VerdictState state, long variantRequests, long variantHits, long defaultRequests,
    long defaultHits, double pValue) {
  /** The variant's share, in [0, 1]; 0 without requests. */
  public double variantShare() {
    return variantRequests == 0 ? 0 : (double) variantHits / variantRequests;
  }

  /** The default variant's share, in [0, 1]; 0 without requests. */
  public double defaultShare() {
    return defaultRequests == 0 ? 0 : (double) defaultHits / defaultRequests;
  }
}
