package dev.flagroute.internal.options;

/** The router options whose rules {@link RouterRules} states. Not API. */
public enum RouterOption {
  /** The header carrying override tokens. */
  OVERRIDE_HEADER,
  /** The header carrying the shadow marker. */
  SHADOW_HEADER,
  /** Override tokens (the secret that verifies them). */
  OVERRIDES,
  /** The rollout guard's flags. */
  GUARD,
  /** The flags whose variants are judged (verdicts). */
  VERDICTS,
  /** Evaluation attributes that are part of the cache key. */
  CACHE_KEY_ATTRIBUTES,
  /** Evaluation attributes left out of the cache key. */
  CACHE_IGNORED_ATTRIBUTES
}
