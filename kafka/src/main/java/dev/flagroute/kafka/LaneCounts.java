package dev.flagroute.kafka;

/**
 * What one {@link LaneConsumer} did with the records whose flags route to one version.
 *
 * @param taken records processed by this consumer because they route to its own version
 * @param skipped records left to the version they route to: a variant leaves every other
 *     version's records; the default version leaves a variant's records once that variant's group
 *     has committed past them
 * @param handedBack records of a variant whose group had no live consumer, processed by the
 *     default version instead (always 0 on a variant)
 */
public record LaneCounts(long taken, long skipped, long handedBack) {
  /** No records. */
  public static final LaneCounts NONE = new LaneCounts(0, 0, 0);
}
