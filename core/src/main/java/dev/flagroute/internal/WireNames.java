package dev.flagroute.internal;

/**
 * The header names flagroute reads, writes and strips by default, stated once: the codecs'
 * defaults, the public defaults ({@code FlagRouter.DEFAULT_OVERRIDE_HEADER},
 * {@code OverrideTokens.DEFAULT_HEADER}, {@code FlagRouter.DEFAULT_SHADOW_HEADER}) and the
 * settings' defaults ({@code Setting.defaultValue()}) are these values. Not API.
 */
public final class WireNames {
  /** The per-flag codec's header prefix unless configured. */
  public static final String PER_FLAG_PREFIX = "x-flag-";
  /** The combined codec's header unless configured. */
  public static final String COMBINED_HEADER = "x-flags";
  /** The W3C baggage header. */
  public static final String BAGGAGE_HEADER = "baggage";
  /** The baggage codec's member prefix unless configured. */
  public static final String MEMBER_PREFIX = "flag.";
  /** The header carrying an override token unless configured. */
  public static final String OVERRIDE_HEADER = "x-flagroute-override";
  /** The header carrying the shadow marker unless configured. */
  public static final String SHADOW_HEADER = "x-flagroute-shadow";
  /** The shadow marker's value as flagroute writes it. */
  public static final String SHADOW_MARK = "1";

  private WireNames() {}

  /**
   * Whether header {@code name} (any ASCII case) may carry flags under a default name: it starts
   * with {@code x-flag} ({@code x-flag-*}, {@code x-flags}) or is {@code baggage}. Headers of
   * any other name never hold flags another codec wrote.
   */
  public static boolean mayNameFlags(String name) {
    return AsciiNames.startsWith(name, "x-flag") || AsciiNames.same(name, BAGGAGE_HEADER);
  }
}
