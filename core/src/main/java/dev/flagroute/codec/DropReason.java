package dev.flagroute.codec;

/** Why an inbound flag header, or one flag in it, was dropped instead of used. */
public enum DropReason {
  /** A flag header from outside the trust boundary, ignored at the edge. */
  UNTRUSTED,
  /** A flag that no route defines. */
  UNKNOWN_FLAG,
  /** A variant that is not one of the flag's variants. */
  UNKNOWN_VARIANT,
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
