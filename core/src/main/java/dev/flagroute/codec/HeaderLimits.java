package dev.flagroute.codec;

/**
 * Bounds on what a codec reads from inbound headers, so that hostile input costs bounded time and
 * memory. Anything beyond them is dropped with a {@link DropReason}.
 *
 * @param maxFlags the most flags read from one request (default 64)
 * @param maxValueLength the longest variant value read, in chars (default 256)
 * @param maxHeaderLength the longest header value read, in chars (default 8192)
 */
public record HeaderLimits(int maxFlags, int maxValueLength, int maxHeaderLength) {
  /** The defaults: 64 flags, 256 chars per value, 8 KiB per header. */
  public static final HeaderLimits DEFAULT = new HeaderLimits(64, 256, 8192);

  /** Checks that every limit is positive. */
  public HeaderLimits {
    if (maxFlags < 1 || maxValueLength < 1 || maxHeaderLength < 1) {
      throw new IllegalArgumentException("header limits must be positive: " + maxFlags + ", "
          + maxValueLength + ", " + maxHeaderLength);
    }
  }
}
