package dev.flagroute.spring.metrics;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Records what the router does as Micrometer counters. Tag values come from the routes and from
 * enums, never from request input, so the number of series is bounded by the routes:
 * <ul>
 *   <li>{@code flagroute.decisions} (tags {@code flag}, {@code variant}, {@code source}): one per
 *       flag of each routed request;
 *   <li>{@code flagroute.headers.dropped} (tag {@code reason}): inbound flag headers dropped.
 * </ul>
 */
public final class MicrometerRoutingListener implements RoutingListener {
  /** Decided flags, by flag, variant and source. */
  public static final String DECISIONS = "flagroute.decisions";
  /** Dropped inbound flag headers, by reason. */
  public static final String DROPPED = "flagroute.headers.dropped";

  private final MeterRegistry registry;
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
  private volatile DecisionCounters decisions;

  /** Records into {@code registry}. */
  public MicrometerRoutingListener(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, Counter.builder(DROPPED).description("Inbound flag headers dropped, by reason")
          .tag("reason", tagValue(reason)).register(registry));
    }
    this.decisions = new DecisionCounters(FlagRoutes.empty(), List.of());
  }

  @Override
  public void decided(FlagContext context) {
    DecisionCounters counters = countersFor(context.routes());
    for (int i = 0; i < context.routes().size(); i++) {
      FlagDecision decision = context.decision(i);
      if (decision != null) {
        counters.increment(i, decision);
      }
    }
  }

  @Override
  public void headerDropped(String header, DropReason reason) {
    dropped.get(reason).increment();
  }

  private DecisionCounters countersFor(FlagRoutes routes) {
    DecisionCounters current = decisions;
    if (current.routes != routes) {
      current = new DecisionCounters(routes, registerAll(routes));
      decisions = current;
    }
    return current;
  }

  private List<Map<String, Map<Source, Counter>>> registerAll(FlagRoutes routes) {
    List<Map<String, Map<Source, Counter>>> byRoute = new ArrayList<>();
    for (FlagRoute route : routes) {
      Map<String, Map<Source, Counter>> byVariant = new HashMap<>();
      for (String variant : route.variants().keySet()) {
        Map<Source, Counter> bySource = new EnumMap<>(Source.class);
        for (Source source : Source.values()) {
          bySource.put(source, Counter.builder(DECISIONS).description("Routing flags decided, by flag, variant and source")
              .tag("flag", route.key()).tag("variant", variant).tag("source", tagValue(source)).register(registry));
        }
        byVariant.put(variant, bySource);
      }
      byRoute.add(byVariant);
    }
    return byRoute;
  }

  private static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** The counters of one set of routes, by route index, variant and source. */
  private record DecisionCounters(FlagRoutes routes, List<Map<String, Map<Source, Counter>>> counters) {
    void increment(int routeIndex, FlagDecision decision) {
      counters.get(routeIndex).get(decision.variant()).get(decision.source()).increment();
    }
  }
}
