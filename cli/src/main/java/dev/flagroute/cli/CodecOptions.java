package dev.flagroute.cli;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.config.InvalidSettingException;
import dev.flagroute.config.RoutingSettings;
import dev.flagroute.config.Setting;
import dev.flagroute.config.SettingSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The {@code --codec}, {@code --header-prefix} and {@code --header} options shared by commands. */
final class CodecOptions {
  static final Set<String> OPTIONS = Set.of("--codec", "--header-prefix", "--header");
  static final String USAGE = """
        --codec NAME          how flags are stamped: per-flag (default), combined or baggage
        --header-prefix P     per-flag header prefix (default x-flag-), or baggage member prefix (default flag.)
        --header NAME         the combined codec's header (default x-flags)
      """;

  private CodecOptions() {}

  /**
   * The codec the options name, parsed by core's configuration model with the options as the
   * settings' names. {@code --header-prefix} is the per-flag codec's header prefix, or the baggage
   * codec's member prefix.
   */
  static HeaderCodec codec(Args args) {
    String codec = args.value("--codec");
    boolean baggage = "baggage".equalsIgnoreCase(codec);
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    Map<Setting, String> names = new EnumMap<>(Setting.class);
    put(values, names, Setting.CODEC, "--codec", codec);
    put(values, names, baggage ? Setting.MEMBER_PREFIX : Setting.HEADER_PREFIX, "--header-prefix",
        args.value("--header-prefix"));
    put(values, names, Setting.HEADER_NAME, "--header", args.value("--header"));
    try {
      return RoutingSettings.read(SettingSource.of(values, setting -> names.getOrDefault(setting, setting.key())))
          .codec();
    } catch (InvalidSettingException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void put(Map<Setting, String> values, Map<Setting, String> names, Setting setting, String option,
      String value) {
    names.put(setting, option);
    if (value != null) {
      values.put(setting, value);
    }
  }
}
