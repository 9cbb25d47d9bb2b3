package dev.flagroute.config;

import java.util.Arrays;
import java.util.List;

/**
 * The raw layer of the settings: each setting's text as its {@link SettingSource} gives it,
 * stripped, blank read as unset, and errors naming the setting as the user wrote it.
 */
final class SettingValues {
  private final SettingSource source;

  SettingValues(SettingSource source) {
    this.source = source;
  }

  /** The stripped value of {@code setting}, or {@code null} when unset or blank. */
  String text(Setting setting) {
    String value = source.value(setting);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The comma-separated, stripped, non-blank items of {@code setting}. */
  List<String> list(Setting setting) {
    String value = text(setting);
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
  }

  /** The name the user writes {@code setting} under. */
  String name(Setting setting) {
    return source.name(setting);
  }

  /** An error naming {@code setting} as the user wrote it. */
  InvalidSettingException fail(Setting setting, String problem) {
    return new InvalidSettingException(setting, source.name(setting), problem);
  }
}
