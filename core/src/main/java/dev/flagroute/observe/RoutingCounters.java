package dev.flagroute.observe;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.guard.GuardState;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictState;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** A {@link RoutingListener} that counts, for tests, health checks and simple metrics. Thread-safe. */
public final class RoutingCounters implements RoutingListener {
  private final LongAdder decisions = new LongAdder();
  private final Map<DropReason, LongAdder> drops = counters(DropReason.class);
  private final LongAdder overridesAccepted = new LongAdder();
  private final Map<OverrideRejection, LongAdder> overridesRejected = counters(OverrideRejection.class);
  private final LongAdder misroutes = new LongAdder();
  private final Map<EvaluationFailure, LongAdder> failures = counters(EvaluationFailure.class);
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<GuardState, LongAdder> guardTransitions = counters(GuardState.class);
  private final LongAdder stuck = new LongAdder();
  private final LongAdder operatorActions = new LongAdder();
  private final Map<VerdictState, LongAdder> verdictChanges = counters(VerdictState.class);
  private final Map<RampState, LongAdder> rampChanges = counters(RampState.class);

  /** Starts with every count at zero. */
  public RoutingCounters() {}

  private static <E extends Enum<E>> Map<E, LongAdder> counters(Class<E> type) {
    Map<E, LongAdder> counters = new EnumMap<>(type);
    for (E value : type.getEnumConstants()) {
      counters.put(value, new LongAdder());
    }
    return counters;
  }

  private static long sum(Map<?, LongAdder> counters) {
    return counters.values().stream().mapToLong(LongAdder::sum).sum();
  }

  @Override
  public void decided(FlagContext context) {
    decisions.increment();
  }

  @Override
  public void headerDropped(String header, DropReason reason) {
    drops.get(reason).increment();
  }

  @Override
  public void overrideAccepted(Map<String, String> variants) {
    overridesAccepted.increment();
  }

  @Override
  public void overrideRejected(OverrideRejection reason) {
    overridesRejected.get(reason).increment();
  }

  @Override
  public void misrouted(Misroute misroute) {
    misroutes.increment();
  }

  @Override
  public void evaluationFailed(String flagKey, EvaluationFailure failure) {
    failures.get(failure).increment();
  }

  @Override
  public void completed(FlagContext flags, RequestOutcome outcome) {
    completed.increment();
    if (outcome.failed()) {
      failed.increment();
    }
  }

  @Override
  public void guardChanged(GuardTransition transition) {
    guardTransitions.get(transition.to()).increment();
    if (transition.cause() == GuardTransition.Cause.OPERATOR) {
      operatorActions.increment();
    }
  }

  @Override
  public void evaluationStuck(int stuckEvaluations) {
    stuck.increment();
  }

  @Override
  public void verdictChanged(Verdict verdict) {
    verdictChanges.get(verdict.state()).increment();
  }

  @Override
  public void rampChanged(RampStatus status) {
    rampChanges.get(status.state()).increment();
  }

  /** Verdicts of any variant that changed to {@code state} so far. */
  public long verdictChanges(VerdictState state) {
    return verdictChanges.get(state).sum();
  }

  /** Ramp changes (new steps, roll-backs) into {@code state} so far. */
  public long rampChanges(RampState state) {
    return rampChanges.get(state).sum();
  }

  /** Requests routed so far. */
  public long decisions() {
    return decisions.sum();
  }

  /** Inbound headers or flags dropped for {@code reason} so far. */
  public long dropped(DropReason reason) {
    return drops.get(reason).sum();
  }

  /** Inbound headers or flags dropped for any reason so far. */
  public long dropped() {
    return sum(drops);
  }

  /** Override tokens accepted so far. */
  public long overridesAccepted() {
    return overridesAccepted.sum();
  }

  /** Override tokens rejected for {@code reason} so far. */
  public long overridesRejected(OverrideRejection reason) {
    return overridesRejected.get(reason).sum();
  }

  /** Override tokens rejected for any reason so far. */
  public long overridesRejected() {
    return sum(overridesRejected);
  }

  /** Misrouted requests seen so far. */
  public long misroutes() {
    return misroutes.sum();
  }

  /** Flag evaluations that failed with {@code failure} so far. */
  public long evaluationFailures(EvaluationFailure failure) {
    return failures.get(failure).sum();
  }

  /** Flag evaluations that failed for any reason so far. */
  public long evaluationFailures() {
    return sum(failures);
  }

  /** Requests whose outcome adapters reported so far. */
  public long completed() {
    return completed.sum();
  }

  /** Requests reported as failed so far. */
  public long failed() {
    return failed.sum();
  }

  /** Rollout guard transitions into {@code state} so far (trips and re-opens for {@link GuardState#OPEN}). */
  public long guardTransitions(GuardState state) {
    return guardTransitions.get(state).sum();
  }

  /** Operators' actions on the rollout guard so far (force off, force on, reset). */
  public long guardOperatorActions() {
    return operatorActions.sum();
  }

  /** Evaluations taken as stuck in the provider so far. */
  public long stuckEvaluations() {
    return stuck.sum();
  }
}
