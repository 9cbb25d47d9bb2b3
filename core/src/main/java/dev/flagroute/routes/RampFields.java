package dev.flagroute.routes;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a variant's {@code ramp} field of a routes document: {@code steps} (a list of percentages,
 * with or without a {@code %} sign), {@code interval} ({@code 90s}, {@code 10m}, {@code 2h},
 * {@code 1d} or ISO-8601 such as {@code PT10M}) and {@code start} (an ISO-8601 instant with an
 * offset, such as {@code 2026-01-05T09:00:00Z}).
 */
final class RampFields {
  private static final List<String> FIELDS = List.of("steps", "interval", "start");
  private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,7})(s|m|h|d)");
  private static final Pattern PERCENT = Pattern.compile("([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]{1,3})?)\\s*%?");

  private RampFields() {}

  /** The ramp {@code value} declares, or null after adding its problems, each starting with {@code where}. */
  static Ramp read(Object value, String where, List<String> problems) {
    String ramp = where + ": ramp: ";
    if (!(value instanceof Map<?, ?> fields)) {
      problems.add(ramp + "expected a mapping with steps, interval and start");
      return null;
    }
    int before = problems.size();
    for (Object field : fields.keySet()) {
      if (!FIELDS.contains(String.valueOf(field))) {
        problems.add(ramp + "unknown field '" + field + "' (expected steps, interval, start)");
      }
    }
    List<Double> steps = steps(fields.get("steps"), ramp, problems);
    Duration interval = interval(fields.get("interval"), ramp, problems);
    Instant start = start(fields.get("start"), ramp, problems);
    if (problems.size() > before) {
      return null;
    }
    String problem = Ramp.problem(steps, interval, start);
    if (problem != null) {
      problems.add(where + ": " + problem);
      return null;
    }
    return new Ramp(steps, interval, start);
  }

  private static List<Double> steps(Object value, String ramp, List<String> problems) {
    if (!(value instanceof List<?> list)) {
      problems.add(ramp + "'steps' must list the shares in percent, e.g. [1, 5, 25, 50, 100]");
      return null;
    }
    List<Double> steps = new ArrayList<>();
    for (Object step : list) {
      Matcher number = step == null || step instanceof Map || step instanceof List ? null
          : PERCENT.matcher(String.valueOf(step).trim());
      if (number == null || !number.matches()) {
        problems.add(ramp + "step '" + step + "' is not a percentage such as 5 or 0.5%");
        return null;
      }
      steps.add(Double.parseDouble(number.group(1)));
    }
    return steps;
  }

  private static Duration interval(Object value, String ramp, List<String> problems) {
    String text = value == null || value instanceof Map || value instanceof List ? null : String.valueOf(value).trim();
    if (text == null) {
      problems.add(ramp + "'interval' is missing: how long each step holds, e.g. 10m");
      return null;
    }
    Matcher matcher = SHORT_DURATION.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(ramp + "interval '" + text + "' must be a duration such as 90s, 10m, 2h, 1d or PT10M");
      return null;
    }
  }

  private static Instant start(Object value, String ramp, List<String> problems) {
    if (value instanceof Date date) {
      return date.toInstant(); // YAML 1.1 parsers read an unquoted timestamp as a date
    }
    String text = value == null || value instanceof Map || value instanceof List ? null : String.valueOf(value).trim();
    if (text == null) {
      problems.add(ramp + "'start' is missing: the instant the first step begins, e.g. 2026-01-05T09:00:00Z,"
          + " which every replica reads so that they agree on the schedule");
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      problems.add(ramp + "start '" + text + "' must be an ISO-8601 instant with an offset, e.g."
          + " 2026-01-05T09:00:00Z");
      return null;
    }
  }
}
