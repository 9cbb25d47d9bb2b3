package dev.flagroute.context;

import java.util.Objects;

/**
 * The decided variant of one flag, where it came from and why.
 *
 * @param variant the variant, always one of the flag's variants
 * @param source where the variant came from
 * @param reason the OpenFeature reason for evaluated flags (e.g. {@code TARGETING_MATCH}), or
 *     flagroute's own for others (e.g. {@code RELAYED}, {@code MISSING}, {@code ERROR})
 */
public record FlagDecision(String variant, Source source, String reason) {
  /** Reason of a variant carried in by a trusted inbound header. */
  public static final String RELAYED = "RELAYED";
  /** Reason of a default taken because no trusted header or evaluation decided the flag. */
  public static final String MISSING = "MISSING";
  /**
   * Reason of a default taken because the rollout guard held back the evaluated variant, which
   * was failing (see {@code FlagRouter.Builder#guard}).
   */
  public static final String GUARDED = "GUARDED";
  /**
   * Reason of a default taken because the user is outside the current share of the evaluated
   * variant's ramp (see {@code dev.flagroute.routes.Ramp}).
   */
  public static final String RAMP = "RAMP";

  /** Checks that no component is null. */
  public FlagDecision {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
  }
}
