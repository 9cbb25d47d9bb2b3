package dev.flagroute.router;

import dev.flagroute.guard.GuardStatus;
import dev.flagroute.guard.GuardTransition;

/**
 * What an operator can do to the rollout guard of one router, each action per non-default variant
 * of a guarded flag: switch it off (a kill switch that holds until switched back on, whatever the
 * outcomes), switch it back on, or reset its guard (forget the evidence, so a tripped or probing
 * variant is decided as the provider says again). Get one from {@link FlagRouter#guardOperator()};
 * in Spring Boot, the {@code flagroute} actuator endpoint's write operation calls it.
 *
 * <p>Every action is reported to the router's listener as a {@link GuardTransition} with cause
 * {@link GuardTransition.Cause#OPERATOR} (so metrics count it) and logged as a warning. Actions act
 * on this instance only, like the guard itself. Thread-safe.
 */
public final class GuardOperator {
  private final RolloutGuard guard;

  /** The operator of {@code guard}; null for a router without a guard, which refuses every action. */
  GuardOperator(RolloutGuard guard) {
    this.guard = guard;
  }

  /**
   * Forces {@code variant} of {@code flagKey} off: requests decided for it get the flag's default
   * variant until {@link #forceOn}. Its new status.
   *
   * @throws IllegalArgumentException if the flag is not guarded or the variant is not one of its
   *     non-default variants
   */
  public GuardStatus forceOff(String flagKey, String variant) {
    return act(flagKey, variant, OperatorAction.FORCE_OFF);
  }

  /**
   * Switches {@code variant} of {@code flagKey} back on after {@link #forceOff}, on a fresh window;
   * a variant that was not forced off keeps its state. Its new status.
   *
   * @throws IllegalArgumentException if the flag is not guarded or the variant is not one of its
   *     non-default variants
   */
  public GuardStatus forceOn(String flagKey, String variant) {
    return act(flagKey, variant, OperatorAction.FORCE_ON);
  }

  /**
   * Resets the guard of {@code variant} of {@code flagKey}: its evidence is forgotten and it is
   * closed, unless it is forced off (which only {@link #forceOn} lifts). Its new status.
   *
   * @throws IllegalArgumentException if the flag is not guarded or the variant is not one of its
   *     non-default variants
   */
  public GuardStatus reset(String flagKey, String variant) {
    return act(flagKey, variant, OperatorAction.RESET);
  }

  private GuardStatus act(String flagKey, String variant, OperatorAction action) {
    if (guard == null) {
      throw new IllegalArgumentException("no flag is guarded; guard a flag (FlagRouter.Builder.guard) to act on it");
    }
    return guard.operate(flagKey, variant, action);
  }
}
