package dev.flagroute.internal.options;

import java.util.Objects;

/**
 * A router option that breaks one of {@link RouterRules}: the message says what is wrong, without
 * naming the option, which the builder and the settings each name their own way. Not API.
 */
public final class OptionProblem extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The option that breaks the rule. */
  private final RouterOption option;

  OptionProblem(RouterOption option, String problem) {
    super(problem);
    this.option = Objects.requireNonNull(option, "option");
  }

  /** The option that breaks the rule. */
  public RouterOption option() {
    return option;
  }
}
