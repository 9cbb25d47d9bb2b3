package dev.flagroute.override;

/** Why an override token was rejected. A rejected token forces nothing; the request is routed as usual. */
public enum OverrideRejection {
  /** Longer than {@link OverrideTokens#MAX_TOKEN_LENGTH}. */
  TOO_LONG,
  /** Not a token: wrong structure, version (such as the retired {@code fr1}), characters or field syntax. */
  MALFORMED,
  /** The signature does not match: minted with another secret, or altered. */
  FORGED,
  /** Its expiry has passed. */
  EXPIRED,
  /** It expires further ahead than the verifier's maximum lifetime allows. */
  TOO_LONG_LIVED,
  /** It names a flag that is not one of the routes. */
  UNKNOWN_FLAG,
  /** It names a variant the flag does not have. */
  UNKNOWN_VARIANT,
  /** It is bound to a subject that is not the request's targeting key (or the request has none). */
  WRONG_SUBJECT,
  /** It is bound to an audience that is not the verifier's (or the verifier has none). */
  WRONG_AUDIENCE,
  /**
   * It is bound to no audience, and the verifier has one and does not accept unbound tokens
   * ({@link OverrideTokens.Builder#acceptUnbound}).
   */
  UNBOUND
}
