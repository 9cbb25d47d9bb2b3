package dev.flagroute.observe;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.verdict.Verdict;
import java.util.Map;

/**
 * Hears what the router does, for metrics and logs. Every method has a no-op default, so
 * implementations override what they need. Called on the request's thread: keep it fast, never
 * block, never throw (what is thrown is caught and logged at debug).
 */
public interface RoutingListener {
  /** The listener that does nothing. */
  RoutingListener NOOP = new RoutingListener() {};

  /** A request's flags were decided (edge) or read (relay). */
  default void decided(FlagContext context) {}

  /** An inbound flag header, or one flag in it, was dropped. */
  default void headerDropped(String header, DropReason reason) {}

  /** A valid override token forced {@code variants} (flag key to variant) for one request. */
  default void overrideAccepted(Map<String, String> variants) {}

  /** An override token was rejected and forced nothing. */
  default void overrideRejected(OverrideRejection reason) {}

  /** A request carried a variant that the mesh should have sent to another version of this service. */
  default void misrouted(Misroute misroute) {}

  /** The evaluation of {@code flagKey} failed, so the request took the flag's default variant. */
  default void evaluationFailed(String flagKey, EvaluationFailure failure) {}

  /**
   * A request routed to {@code flags} ended with {@code outcome}; adapters report each request
   * once, through {@code FlagRouter.completed}. Called on the thread that saw the request end.
   */
  default void completed(FlagContext flags, RequestOutcome outcome) {}

  /** The rollout guard changed state for one variant of a guarded flag. */
  default void guardChanged(GuardTransition transition) {}

  /**
   * The verdict of one variant against its flag's default changed state (see
   * {@code FlagRouter.Builder.verdicts}); called on the thread whose request outcome caused it.
   */
  default void verdictChanged(Verdict verdict) {}

  /**
   * A ramped variant moved to another step, or was rolled back; called on the thread of the
   * request that found it.
   */
  default void rampChanged(RampStatus status) {}

  /**
   * With a deadline: an evaluation has run so far past it (ten times the deadline, and at least a
   * second) that it is taken as stuck in the provider. Its thread no longer counts as running, so
   * a new one can take its place, within a hard cap on threads, and the provider is probed one
   * evaluation at a time until one answers in time. Heard once per stuck evaluation, on the thread
   * of the request that found it.
   *
   * @param stuckEvaluations how many evaluations are stuck now, this one included
   */
  default void evaluationStuck(int stuckEvaluations) {}

  /** An outbound call without a mesh went to the stable version: its flags' version had no instance. */
  default void versionFellBack(VersionFallback fallback) {}
}
