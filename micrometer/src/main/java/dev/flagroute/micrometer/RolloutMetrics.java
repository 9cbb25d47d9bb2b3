package dev.flagroute.micrometer;

import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The verdicts and guarded ramps of an edge router as Micrometer gauges, one series per judged or
 * ramped variant, registered when bound (so rules and dashboards see every variant from start-up,
 * not from its first change) and read from the router at each scrape:
 * <ul>
 *   <li>{@code flagroute.verdict.state} (tags {@code flag}, {@code variant}): 0 not enough data,
 *       1 no difference, 2 worse, 3 better than the flag's default variant;
 *   <li>{@code flagroute.ramp.state} (tags {@code flag}, {@code variant}): 0 pending, 1 ramping,
 *       2 complete, 3 rolled back;
 *   <li>{@code flagroute.ramp.share} (tags {@code flag}, {@code variant}): the share of users the
 *       variant may reach now, 0 to 1 (0 while pending or once rolled back).
 * </ul>
 * The changes themselves are counted by {@link VariantHealthMetrics}. A router in RELAY mode, or
 * with no verdict and no ramp, gives no series.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class RolloutMetrics implements MeterBinder {
  /** Verdict of a variant against its flag's default: 0 not enough data, 1 no difference, 2 worse, 3 better. */
  public static final String VERDICT_STATE = "flagroute.verdict.state";
  /** State of a variant's ramp: 0 pending, 1 ramping, 2 complete, 3 rolled back. */
  public static final String RAMP_STATE = "flagroute.ramp.state";
  /** Share of users a ramped variant may reach now, 0 to 1. */
  public static final String RAMP_SHARE = "flagroute.ramp.share";

  private final FlagRouter router;

  /** The meters of {@code router}'s verdicts and ramps. */
  public RolloutMetrics(FlagRouter router) {
    this.router = Objects.requireNonNull(router, "router");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Verdict verdict : router.verdicts()) {
      String flag = verdict.flagKey();
      String variant = verdict.variant();
      gauge(registry, VERDICT_STATE, "Verdict against the default: 0 not enough data, 1 no difference, 2 worse,"
          + " 3 better", flag, variant, r -> verdictCode(r, flag, variant));
    }
    for (RampStatus ramp : router.ramps()) {
      String flag = ramp.flagKey();
      String variant = ramp.variant();
      gauge(registry, RAMP_STATE, "Ramp state: 0 pending, 1 ramping, 2 complete, 3 rolled back", flag, variant,
          r -> rampValue(r, flag, variant, false));
      gauge(registry, RAMP_SHARE, "Share of users the ramped variant may reach now, 0 to 1", flag, variant,
          r -> rampValue(r, flag, variant, true));
    }
  }

  private void gauge(MeterRegistry registry, String name, String description, String flag, String variant,
      ToDoubleFunction<FlagRouter> value) {
    Gauge.builder(name, router, value).description(description).tag("flag", flag).tag("variant", variant)
        .strongReference(true).register(registry);
  }

  private static double verdictCode(FlagRouter router, String flag, String variant) {
    for (Verdict verdict : router.verdicts()) {
      if (verdict.flagKey().equals(flag) && verdict.variant().equals(variant)) {
        return code(verdict.state());
      }
    }
    return Double.NaN;
  }

  private static double rampValue(FlagRouter router, String flag, String variant, boolean share) {
    for (RampStatus ramp : router.ramps()) {
      if (ramp.flagKey().equals(flag) && ramp.variant().equals(variant)) {
        return share ? ramp.percent() / 100 : code(ramp.state());
      }
    }
    return Double.NaN;
  }

  static int code(VerdictState state) {
    return switch (state) {
      case NOT_ENOUGH_DATA -> 0;
      case NO_DIFFERENCE -> 1;
      case WORSE -> 2;
      case BETTER -> 3;
    };
  }

  static int code(RampState state) {
    return switch (state) {
      case PENDING -> 0;
      case RAMPING -> 1;
      case COMPLETE -> 2;
      case ROLLED_BACK -> 3;
    };
  }
}
