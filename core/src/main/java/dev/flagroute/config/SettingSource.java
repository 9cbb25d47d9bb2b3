package dev.flagroute.config;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where settings come from, and what the user calls each one: errors name a setting the way it
 * was written, such as {@code flagroute.header.codec}, {@code init-param 'codec'} or
 * {@code --codec}.
 */
public interface SettingSource {
  /** The value written for {@code setting}, or {@code null} (or blank) when it is not set. */
  String value(Setting setting);

  /** The name the user writes {@code setting} under. */
  String name(Setting setting);

  /** A source of {@code values}, naming each setting with {@code names}. */
  static SettingSource of(Map<Setting, String> values, Function<Setting, String> names) {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(names, "names");
    return new SettingSource() {
      @Override
      public String value(Setting setting) {
        return values.get(setting);
      }

      @Override
      public String name(Setting setting) {
        return names.apply(setting);
      }
    };
  }
}
