package dev.flagroute.evaluation;

/**
 * Why the evaluation of a routing flag did not decide it, so that the flag took its default
 * variant. The request goes on with that default; it never fails because of flag routing.
 */
public enum EvaluationFailure {
  /** The provider has not finished initializing. */
  PROVIDER_NOT_READY,
  /** The provider reports an error state. */
  PROVIDER_ERROR,
  /** The provider reports an irrecoverable error state. */
  PROVIDER_FATAL,
  /** The evaluation returned an OpenFeature error code, such as {@code FLAG_NOT_FOUND}. */
  ERROR_RESULT,
  /** The flag's value is not a string. */
  TYPE_MISMATCH,
  /** The value is a string but not one of the flag's variants. */
  FOREIGN_VARIANT,
  /** The client or provider threw. */
  EXCEPTION,
  /** The provider did not answer within the configured deadline. */
  DEADLINE_EXCEEDED
}
