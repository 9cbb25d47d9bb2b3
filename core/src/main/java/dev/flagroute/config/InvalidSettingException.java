package dev.flagroute.config;

import java.util.Objects;

/**
 * A setting whose value cannot be used. The message names the setting as the user wrote it and
 * says what to do; it never contains the value of a secret.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The setting concerned. */
  private final Setting setting;
  /** Its name as the user wrote it. */
  private final String name;
  /** What is wrong and what to do, without the setting's name. */
  private final String problem;

  InvalidSettingException(Setting setting, String name, String problem) {
    super(name + ": " + problem);
    this.setting = Objects.requireNonNull(setting, "setting");
    this.name = name;
    this.problem = problem;
  }

  /** The setting concerned. */
  public Setting setting() {
    return setting;
  }

  /** The setting's name as the user wrote it, such as {@code flagroute.header.codec}. */
  public String settingName() {
    return name;
  }

  /** What is wrong and what to do. */
  public String problem() {
    return problem;
  }
}
