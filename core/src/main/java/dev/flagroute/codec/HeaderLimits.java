package dev.flagroute.codec;

/**
 * Bounds on what a codec reads from inbound headers, so that hostile input costs bounded time and
 * memory. Anything beyond them is dropped with a {@link DropReason}, reported to the router's
 * listener and counted.
 *
 * <p>The same bounds hold for the flags a relay carries without routing them (flags its routes do
 * not define, and variants of its flags that its routes do not list; see {@code FlagContext}):
 * <ul>
 *   <li>at most {@link #maxFlags()} flags per request, routed and carried together; the flags past
 *       it are dropped as {@link DropReason#TOO_MANY_FLAGS};
 *   <li>a key of 1 to 63 chars, letters, digits, {@code '-'} and {@code '.'}, starting and ending
 *       with a letter or digit (the rule for routed flag keys), else {@link DropReason#INVALID_KEY};
 *       with the per-flag codec the key is the header name after the prefix, lowercase;
 *   <li>a value of 1 to 63 chars, letters, digits, {@code '-'}, {@code '_'} and {@code '.'},
 *       starting and ending with a letter or digit (the rule for variants), else
 *       {@link DropReason#EMPTY_VALUE}, {@link DropReason#INVALID_VALUE} or, past
 *       {@link #maxValueLength()}, {@link DropReason#VALUE_TOO_LONG};
 *   <li>no header value longer than {@link #maxHeaderLength()} ({@link DropReason#HEADER_TOO_LONG}).
 * </ul>
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
