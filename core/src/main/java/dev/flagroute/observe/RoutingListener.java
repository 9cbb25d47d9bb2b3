package dev.flagroute.observe;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Hears what the router does, for metrics and logs. Every method has a no-op default, so
 * implementations override what they need. Called on the request's thread: keep it fast, never
 * block, never throw (what is thrown is caught and logged).
 *
 * <p>A router tells any number of listeners: call {@code FlagRouter.Builder.listener} once per
 * listener, or pass one {@link #composite(RoutingListener...)}. Each hears every event in the order
 * given, and one that throws does not keep the event from the others.
 */
public interface RoutingListener {
  /** The listener that does nothing. */
  RoutingListener NOOP = new RoutingListener() {};

  /**
   * One listener telling each of {@code listeners} every event, in order: one that throws is
   * logged (a warning at most once a minute per listener) and the rest still hear the event.
   * Composites given here are flattened and {@link #NOOP} left out, so the result is
   * {@link #NOOP} for none and the listener itself for one.
   */
  static RoutingListener composite(RoutingListener... listeners) {
    return composite(List.of(listeners));
  }

  /** As {@link #composite(RoutingListener...)}, over a list. */
  static RoutingListener composite(List<? extends RoutingListener> listeners) {
    List<RoutingListener> flat = new ArrayList<>();
    for (RoutingListener listener : listeners) {
      Objects.requireNonNull(listener, "listener");
      if (listener instanceof ListenerFanOut fanOut) {
        flat.addAll(fanOut.listeners());
      } else if (listener != NOOP) {
        flat.add(listener);
      }
    }
    return switch (flat.size()) {
      case 0 -> NOOP;
      case 1 -> flat.get(0);
      default -> new ListenerFanOut(List.copyOf(flat));
    };
  }

  /** A request's flags were decided (edge) or read (relay). */
  default void decided(FlagContext context) {}

  /** An inbound flag header, or one flag in it, was dropped. */
  default void headerDropped(String header, DropReason reason) {}

  /**
   * A relay carried on variant {@code variant} of its routed flag {@code flagKey}, which its
   * routes do not list: an earlier hop runs newer routes. The request keeps the variant as
   * received ({@code FlagDecision.UNKNOWN_VARIANT}); deploy the newer routes here.
   */
  default void unknownVariant(String flagKey, String variant) {}

  /**
   * A relay received flag headers of another codec or prefix than its own, which it does not read;
   * see {@link CodecMismatch}.
   */
  default void codecMismatch(CodecMismatch mismatch) {}

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

  /**
   * An outbound call to {@code host} (its URL's host or its gRPC authority, as the client gave it),
   * which is not a mesh host, was sent without flag headers, override tokens or shadow markers
   * ({@code HeaderCodec.allowsEgress}). Called on the thread making the call. Do not tag metrics with
   * {@code host}: it is whatever the application called, unbounded.
   */
  default void egressBlocked(String host) {}

  /**
   * The router was given new routes while running ({@code FlagRouter.reload}): accepted, or refused
   * with the old routes kept. Heard on the thread that reloaded.
   */
  default void routesChanged(RoutesChange change) {}

  /** An outbound call without a mesh went to the stable version: its flags' version had no instance. */
  default void versionFellBack(VersionFallback fallback) {}
}
