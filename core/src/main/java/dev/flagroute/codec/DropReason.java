package dev.flagroute.codec;

/** Why an inbound flag header, or one flag in it, was dropped instead of used. */
public enum DropReason {
  /** A flag header from outside the trust boundary, ignored at the edge. */
  UNTRUSTED,
  /**
   * A flag that no route defines, where it cannot be carried: an edge drops it as
   * {@link #UNTRUSTED}, a relay carries it on ({@code FlagContext.carried()}), so only readers that
   * keep routed flags alone (such as test assertions) report this.
   */
  UNKNOWN_FLAG,
  /**
   * A variant that is not one of the flag's variants, where it cannot be carried. A relay carries
   * a legal but unknown variant on unchanged ({@code FlagDecision.UNKNOWN_VARIANT}) instead.
   */
  UNKNOWN_VARIANT,
  /**
   * A flag a relay would carry but whose key is not a legal flag key (see {@link HeaderLimits}), or
   * differs only in case from a key the routes define.
   */
  INVALID_KEY,
  /** A value with characters no variant can have. */
  INVALID_VALUE,
  /** An empty value. */
  EMPTY_VALUE,
  /** A value longer than {@link HeaderLimits#maxValueLength()}. */
  VALUE_TOO_LONG,
  /** A header longer than {@link HeaderLimits#maxHeaderLength()}. */
  HEADER_TOO_LONG,
  /** A flag beyond {@link HeaderLimits#maxFlags()}. */
  TOO_MANY_FLAGS,
  /** A flag sent more than once. */
  DUPLICATE,
  /** A header whose syntax the codec cannot read. */
  MALFORMED
}
