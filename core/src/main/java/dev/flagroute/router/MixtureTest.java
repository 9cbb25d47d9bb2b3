package dev.flagroute.router;

/**
 * The mixture sequential probability ratio test (mSPRT) for the difference of two proportions, in
 * the normal approximation: the difference of the observed shares is taken as normal around the
 * true difference, with the variance of the pooled share, and the likelihood ratio of a normal
 * mixture of alternatives {@code N(0, tau^2)} against "no difference" is, with {@code d} the
 * observed difference and {@code v} its variance,
 *
 * <pre>
 *   L = sqrt(v / (v + tau^2)) * exp(d^2 tau^2 / (2 v (v + tau^2)))
 * </pre>
 *
 * <p>Under "no difference" {@code L} is (approximately) a martingale with mean 1, so by Ville's
 * inequality it ever reaches {@code 1/alpha} with probability at most {@code alpha}, however often
 * it is looked at: {@code min(1, 1/L)}, kept at its smallest so far, is an always-valid p-value.
 * Stateless.
 */
final class MixtureTest {
  private MixtureTest() {}

  /**
   * The natural log of the mixture likelihood ratio for {@code hitsB} of {@code requestsB} against
   * {@code hitsA} of {@code requestsA}, or {@code toBeat} itself when the ratio cannot exceed it
   * (which spares a logarithm on most looks); 0 (no evidence) while either side is empty or no
   * request of either side is a hit.
   *
   * @param tauSquared the variance of the mixture over differences, the square of a difference
   *     worth finding
   * @param toBeat the largest log ratio seen so far
   */
  static double logLikelihoodRatio(long requestsA, long hitsA, long requestsB, long hitsB, double tauSquared,
      double toBeat) {
    if (requestsA == 0 || requestsB == 0) {
      return 0;
    }
    double pooled = (double) (hitsA + hitsB) / (requestsA + requestsB);
    double variance = pooled * (1 - pooled) * (1.0 / requestsA + 1.0 / requestsB);
    if (!(variance > 0)) {
      return 0;
    }
    double difference = (double) hitsB / requestsB - (double) hitsA / requestsA;
    double spread = variance + tauSquared;
    double exponent = difference * difference * tauSquared / (2 * variance * spread);
    if (exponent <= toBeat) {
      return toBeat; // the other term is never positive
    }
    return exponent + 0.5 * Math.log(variance / spread);
  }
}
