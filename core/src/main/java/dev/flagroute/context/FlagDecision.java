package dev.flagroute.context;

import java.util.Objects;

/**
 * The decided variant of one flag, where it came from and why.
 *
 * <p>A relay may carry a variant its routes do not list, as received: an earlier hop with newer
 * routes decided it. Its source is {@link Source#RELAYED} and its reason {@link #UNKNOWN_VARIANT}
 * ({@link #isUnknownVariant()}); code that branches on variants chooses what to do with it, and
 * outbound calls carry it on unchanged, never re-stamped as the default.
 *
 * @param variant the variant: one of the flag's variants, or, with reason {@link #UNKNOWN_VARIANT},
 *     a legal variant name the routes do not list
 * @param source where the variant came from
 * @param reason the OpenFeature reason for evaluated flags (e.g. {@code TARGETING_MATCH}), or
 *     flagroute's own for others (e.g. {@code RELAYED}, {@code MISSING}, {@code ERROR},
 *     {@code UNKNOWN_VARIANT})
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
  /**
   * Reason of a relayed variant that the routes of this service do not list, carried on as
   * received (an earlier hop runs newer routes).
   */
  public static final String UNKNOWN_VARIANT = "UNKNOWN_VARIANT";

  /** Checks that no component is null. */
  public FlagDecision {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
  }

  /** Whether this is a relayed variant the routes do not list (reason {@link #UNKNOWN_VARIANT}). */
  public boolean isUnknownVariant() {
    return source == Source.RELAYED && UNKNOWN_VARIANT.equals(reason);
  }
}
