package dev.flagroute.override;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The outcome of {@link OverrideTokens#verify}: accepted with the variants it forces, or rejected. */
public sealed interface OverrideResult {
  /**
   * A valid token.
   *
   * @param variants flag key to the variant it forces, in token order; unmodifiable
   * @param expiresAt when the token stops being accepted
   */
  record Accepted(Map<String, String> variants, Instant expiresAt) implements OverrideResult {
    /** Copies {@code variants}, keeping its order. */
    public Accepted {
      variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /**
   * An invalid token, which forces nothing.
   *
   * @param reason why it was rejected
   */
  record Rejected(OverrideRejection reason) implements OverrideResult {
    /** Checks the reason is present. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
