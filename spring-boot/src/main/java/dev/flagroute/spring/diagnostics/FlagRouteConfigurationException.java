package dev.flagroute.spring.diagnostics;

import java.util.Objects;

/**
 * A {@code flagroute.*} configuration the starter cannot start with. It says which property is
 * concerned, what is wrong and what to do, and never contains the value of a secret (nor its prefix
 * or length); {@link FlagRouteFailureAnalyzer} turns it into Boot's start-up failure report.
 */
public final class FlagRouteConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The property concerned, as written in configuration. */
  private final String property;
  /** What is wrong, in one or a few sentences. */
  private final String description;
  /** What to do about it. */
  private final String action;

  /**
   * A configuration failure of {@code property}: {@code description} says what is wrong, {@code
   * action} what to do. Neither may contain a secret.
   */
  public FlagRouteConfigurationException(String property, String description, String action) {
    super(Objects.requireNonNull(description, "description"));
    this.property = Objects.requireNonNull(property, "property");
    this.action = Objects.requireNonNull(action, "action");
    this.description = description;
  }

  /** The property concerned, such as {@code flagroute.routes-file}. */
  public String property() {
    return property;
  }

  /** What is wrong. */
  public String description() {
    return description;
  }

  /** What to do about it. */
  public String action() {
    return action;
  }
}
