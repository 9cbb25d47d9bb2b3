package dev.flagroute.config;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.verdict.VerdictPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The typing layer of the settings: each value parsed into what it means (numbers, durations,
 * ratios, the mode, the codec, the limits, the guard and verdict policies), with unset values
 * taking their defaults, and a value that does not parse an {@link InvalidSettingException}
 * naming its setting. Rules across settings are {@link RoutingSettings}'.
 */
final class SettingParser {
  private static final int MAX_SECRET_FILE_BYTES = 4096;
  private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private final SettingValues values;

  SettingParser(SettingValues values) {
    this.values = values;
  }

  RoutingMode mode() {
    return parse(Setting.MODE, null, value -> switch (value.toLowerCase(Locale.ROOT)) {
      case "edge" -> RoutingMode.EDGE;
      case "relay" -> RoutingMode.RELAY;
      default -> throw new IllegalArgumentException("must be edge or relay, was '" + value + "'");
    });
  }

  HeaderCodec codec() {
    String written = values.text(Setting.CODEC);
    String kind = written == null ? Setting.CODEC.defaultValue().orElseThrow() : written.toLowerCase(Locale.ROOT);
    Map<String, Setting> own = Map.of("per-flag", Setting.HEADER_PREFIX, "combined", Setting.HEADER_NAME,
        "baggage", Setting.MEMBER_PREFIX);
    if (!own.containsKey(kind)) {
      throw values.fail(Setting.CODEC, "must be per-flag, combined or baggage, was '" + written + "'");
    }
    for (Map.Entry<String, Setting> entry : own.entrySet()) {
      if (!entry.getKey().equals(kind) && values.text(entry.getValue()) != null) {
        throw values.fail(entry.getValue(), "applies to the " + entry.getKey() + " codec only; set "
            + values.name(Setting.CODEC) + " to " + entry.getKey() + " or remove it");
      }
    }
    Setting name = own.get(kind);
    String value = values.text(name);
    try {
      return switch (kind) {
        case "combined" -> value == null ? HeaderCodec.combined() : HeaderCodec.combined(value);
        case "baggage" -> value == null ? HeaderCodec.baggage() : HeaderCodec.baggage(value);
        default -> value == null ? HeaderCodec.perFlag() : HeaderCodec.perFlag(value);
      };
    } catch (IllegalArgumentException e) {
      throw values.fail(name, e.getMessage());
    }
  }

  HeaderLimits limits() {
    HeaderLimits defaults = HeaderLimits.DEFAULT;
    return new HeaderLimits(count(Setting.MAX_FLAGS, defaults.maxFlags()),
        count(Setting.MAX_VALUE_LENGTH, defaults.maxValueLength()),
        count(Setting.MAX_HEADER_LENGTH, defaults.maxHeaderLength()));
  }

  TargetingKey targetingKey() {
    return parse(Setting.TARGETING_KEY, TargetingKey.NONE, TargetingKey::parse);
  }

  Map<String, String> attributeHeaders() {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String pair : values.list(Setting.ATTRIBUTE_HEADERS)) {
      String[] parts = pair.split("=", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw values.fail(Setting.ATTRIBUTE_HEADERS, "must list attribute=header pairs such as"
            + " 'tenant=x-tenant-id, plan=x-plan', was '" + values.text(Setting.ATTRIBUTE_HEADERS) + "'");
      }
      attributes.put(parts[0].strip(), parts[1].strip());
    }
    return Collections.unmodifiableMap(attributes);
  }

  /** The guard policy the settings give, each unset value at its default. */
  GuardPolicy guardPolicy() {
    return GuardPolicy.builder()
        .failureRatio(ratio(Setting.GUARD_FAILURE_RATIO, GuardPolicy.DEFAULT_FAILURE_RATIO, false, false))
        .minRequests(count(Setting.GUARD_MIN_REQUESTS, GuardPolicy.DEFAULT_MIN_REQUESTS))
        .margin(ratio(Setting.GUARD_MARGIN, GuardPolicy.DEFAULT_MARGIN, true, false))
        .window(millis(Setting.GUARD_WINDOW, GuardPolicy.DEFAULT_WINDOW))
        .coolDown(millis(Setting.GUARD_COOL_DOWN, GuardPolicy.DEFAULT_COOL_DOWN))
        .probeShare(ratio(Setting.GUARD_PROBE_SHARE, GuardPolicy.DEFAULT_PROBE_SHARE, false, true))
        .probeRequests(count(Setting.GUARD_PROBE_REQUESTS, GuardPolicy.DEFAULT_PROBE_REQUESTS))
        .build();
  }

  /** The verdict policy the settings give, each unset value at its default. */
  VerdictPolicy verdictPolicy() {
    double alpha = ratio(Setting.VERDICT_ALPHA, VerdictPolicy.DEFAULT_ALPHA, false, false);
    int minRequests = count(Setting.VERDICT_MIN_REQUESTS, VerdictPolicy.DEFAULT_MIN_REQUESTS);
    double errorDifference = ratio(Setting.VERDICT_ERROR_DIFFERENCE, VerdictPolicy.DEFAULT_ERROR_DIFFERENCE,
        false, false);
    double slowShareDifference = ratio(Setting.VERDICT_SLOW_SHARE_DIFFERENCE,
        VerdictPolicy.DEFAULT_SLOW_SHARE_DIFFERENCE, false, false);
    double slowQuantile = ratio(Setting.VERDICT_SLOW_QUANTILE, VerdictPolicy.DEFAULT_SLOW_QUANTILE, false, false);
    int calibrationRequests = count(Setting.VERDICT_CALIBRATION_REQUESTS,
        VerdictPolicy.DEFAULT_CALIBRATION_REQUESTS);
    policyBound(Setting.VERDICT_ALPHA, builder -> builder.alpha(alpha));
    policyBound(Setting.VERDICT_SLOW_QUANTILE, builder -> builder.slowQuantile(slowQuantile));
    policyBound(Setting.VERDICT_CALIBRATION_REQUESTS, builder -> builder.calibrationRequests(calibrationRequests));
    return VerdictPolicy.builder().alpha(alpha).minRequests(minRequests).errorDifference(errorDifference)
        .slowShareDifference(slowShareDifference).slowQuantile(slowQuantile).calibrationRequests(calibrationRequests)
        .holdBackWorse(bool(Setting.VERDICT_HOLD_BACK_WORSE, false)).build();
  }

  /** Checks one value of {@code setting} against {@link VerdictPolicy}'s own bound for it. */
  private void policyBound(Setting setting, UnaryOperator<VerdictPolicy.Builder> value) {
    try {
      value.apply(VerdictPolicy.builder()).build();
    } catch (IllegalArgumentException e) {
      throw values.fail(setting, e.getMessage());
    }
  }

  /** The secret in {@code file}, stripped: at most 4 KiB, not empty. */
  String secretFile(String file) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      byte[] bytes = in.readNBytes(MAX_SECRET_FILE_BYTES + 1);
      if (bytes.length > MAX_SECRET_FILE_BYTES) {
        throw values.fail(Setting.OVERRIDE_SECRET_FILE, "the file " + file + " is larger than 4 KiB");
      }
      String secret = new String(bytes, StandardCharsets.UTF_8).strip();
      if (secret.isEmpty()) {
        throw values.fail(Setting.OVERRIDE_SECRET_FILE, "the file " + file + " is empty");
      }
      return secret;
    } catch (IOException | InvalidPathException e) {
      throw values.fail(Setting.OVERRIDE_SECRET_FILE, "cannot read the file " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** The value of {@code setting} parsed by {@code parser}, or {@code fallback} when unset. */
  <T> T parse(Setting setting, T fallback, Function<String, T> parser) {
    String value = values.text(setting);
    if (value == null) {
      return fallback;
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw values.fail(setting, e.getMessage());
    }
  }

  /** {@code value} if it matches {@code pattern}. */
  String matching(Setting setting, Pattern pattern, String what) {
    return parse(setting, null, value -> {
      if (!pattern.matcher(value).matches()) {
        throw new IllegalArgumentException("must be " + what + ", was '" + value + "'");
      }
      return value;
    });
  }

  boolean bool(Setting setting, boolean fallback) {
    return parse(setting, fallback, value -> switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false, was '" + value + "'");
    });
  }

  long positive(Setting setting, long fallback) {
    return parse(setting, fallback, value -> {
      long number;
      try {
        number = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be a whole number, was '" + value + "'");
      }
      if (number < 1) {
        throw new IllegalArgumentException("must be at least 1, was " + number);
      }
      return number;
    });
  }

  /** A positive duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT1M}). */
  Duration duration(Setting setting, Duration fallback) {
    return parse(setting, fallback, value -> {
      Duration duration;
      Matcher matcher = SHORT_DURATION.matcher(value);
      try {
        duration = matcher.matches() ? Duration.of(Long.parseLong(matcher.group(1)), unit(matcher.group(2)))
            : Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("must be a duration such as 250ms, 30s, 5m or PT1M, was '" + value + "'");
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("must be positive, was '" + value + "'");
      }
      return duration;
    });
  }

  private int count(Setting setting, int fallback) {
    return (int) Math.min(positive(setting, fallback), Integer.MAX_VALUE);
  }

  /** A number between 0 and 1, such as {@code 0.5}, each bound allowed or not. */
  private double ratio(Setting setting, double fallback, boolean zero, boolean one) {
    String range = (zero ? "at least 0" : "above 0") + (one ? " and at most 1" : " and below 1");
    return parse(setting, fallback, value -> {
      double number;
      try {
        number = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        number = Double.NaN;
      }
      if (!((zero ? number >= 0 : number > 0) && (one ? number <= 1 : number < 1))) {
        throw new IllegalArgumentException("must be a number " + range + " such as 0.5, was '" + value + "'");
      }
      return number;
    });
  }

  /** A duration of at least a millisecond. */
  private Duration millis(Setting setting, Duration fallback) {
    Duration duration = duration(setting, fallback);
    if (duration.toMillis() < 1) {
      throw values.fail(setting, "must be at least 1ms, was '" + values.text(setting) + "'");
    }
    return duration;
  }

  private static ChronoUnit unit(String suffix) {
    return switch (suffix) {
      case "ms" -> ChronoUnit.MILLIS;
      case "s" -> ChronoUnit.SECONDS;
      case "m" -> ChronoUnit.MINUTES;
      case "h" -> ChronoUnit.HOURS;
      default -> ChronoUnit.DAYS;
    };
  }
}
