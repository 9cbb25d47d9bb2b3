package dev.flagroute.routes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A guarded ramp of one non-default variant: the share of users (by targeting key) the variant may
 * reach widens step by step, {@code steps[0]} percent from {@code start}, {@code steps[1]} percent
 * one {@code interval} later, and so on, the last step holding from then on. An edge router caps
 * the provider's decision with it: a user outside the current share who was decided the variant
 * gets the default variant, with reason {@code RAMP}. The schedule is anchored to {@code start},
 * written in the routes, so every replica computes the same share at the same instant without
 * talking to the others. Declared with {@link FlagRoute.Builder#ramp(String, Ramp)} or a variant's
 * {@code ramp} field in a routes file. Immutable.
 *
 * @param steps the shares in percent, increasing, each above 0 and at most 100, with at most two
 *     decimals; at most {@value #MAX_STEPS} of them
 * @param interval how long each step holds before the next, at least one second
 * @param start when the first step begins; before it the variant reaches no user
 */
public record Ramp(List<Double> steps, Duration interval, Instant start) {
  /** The most steps a ramp may have. */
  public static final int MAX_STEPS = 20;

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public Ramp {
    String problem = problem(steps, interval, start);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    steps = List.copyOf(steps);
  }

  /** A ramp through {@code percents} from {@code start}, one step per {@code interval}. */
  public static Ramp of(Instant start, Duration interval, double... percents) {
    List<Double> steps = new ArrayList<>(percents.length);
    for (double percent : percents) {
      steps.add(percent);
    }
    return new Ramp(steps, interval, start);
  }

  /** The step in force at {@code now}: -1 before the start, then 0, 1, ... up to the last step. */
  public int stepAt(Instant now) {
    return stepAt(now.toEpochMilli());
  }

  /** {@link #stepAt(Instant)} for milliseconds since the epoch. */
  public int stepAt(long nowMillis) {
    long elapsed = nowMillis - start.toEpochMilli();
    if (elapsed < 0) {
      return -1;
    }
    return (int) Math.min(steps.size() - 1, elapsed / interval.toMillis());
  }

  /** The share of users in force at {@code now}, in basis points (hundredths of a percent), 0 to 10,000. */
  public int basisPointsAt(long nowMillis) {
    int step = stepAt(nowMillis);
    return step < 0 ? 0 : basisPoints(step);
  }

  /** Step {@code step}'s share in basis points (hundredths of a percent). */
  public int basisPoints(int step) {
    return (int) Math.round(steps.get(step) * 100);
  }

  /** When step {@code step} begins. */
  public Instant stepStart(int step) {
    return start.plus(interval.multipliedBy(step));
  }

  /** What is wrong with a ramp of these fields, or {@code null}. */
  static String problem(List<Double> steps, Duration interval, Instant start) {
    if (steps == null || steps.isEmpty()) {
      return "ramp needs at least one step, e.g. steps: [1, 5, 25, 50, 100]";
    }
    if (steps.size() > MAX_STEPS) {
      return "ramp has " + steps.size() + " steps; at most " + MAX_STEPS + " are allowed";
    }
    double previous = 0;
    for (Double step : steps) {
      if (step == null || !(step > 0 && step <= 100)) {
        return "ramp step " + step + " must be a percentage above 0 and at most 100";
      }
      if (Math.abs(step * 100 - Math.round(step * 100)) > 1e-6) {
        return "ramp step " + step + " has more than two decimals";
      }
      if (step <= previous) {
        return "ramp steps must increase, found " + step + " after " + previous;
      }
      previous = step;
    }
    if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
      return "ramp interval " + interval + " must be at least one second";
    }
    if (start == null) {
      return "ramp needs a start instant (e.g. start: 2026-01-05T09:00:00Z) so that replicas agree on the schedule";
    }
    return null;
  }

  @Override
  public String toString() {
    return "Ramp" + steps + " every " + interval + " from " + start;
  }
}
