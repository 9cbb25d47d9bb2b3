package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.ExtractSink;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.RouteNames;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Collects trusted stamped variants into a context builder, dropping values no variant has. */
final class RelayRead implements ExtractSink {
  private final List<Map<String, FlagDecision>> relayedByRoute;
  private final FlagContext.Builder builder;
  private final Events events;
  private final List<String> headers;

  RelayRead(List<Map<String, FlagDecision>> relayedByRoute, FlagContext.Builder builder, Events events,
      List<String> headers) {
    this.relayedByRoute = relayedByRoute;
    this.builder = builder;
    this.events = events;
    this.headers = headers;
  }

  @Override
  public void flag(int routeIndex, String value) {
    FlagDecision decision = relayedByRoute.get(routeIndex).get(value);
    if (decision != null) {
      builder.put(routeIndex, decision);
      return;
    }
    String header = headers.size() == 1 ? headers.get(0) : headers.get(routeIndex);
    if (value.isEmpty()) {
      events.dropped(header, DropReason.EMPTY_VALUE);
    } else if (RouteNames.isVariant(value)) {
      events.dropped(header, DropReason.UNKNOWN_VARIANT);
    } else {
      events.dropped(header, DropReason.INVALID_VALUE);
    }
  }

  @Override
  public void dropped(String header, DropReason reason) {
    events.dropped(header, reason);
  }

  /** The relayed decision of each variant of {@code route}, shared by every request. */
  static Map<String, FlagDecision> relayedDecisions(FlagRoute route) {
    return route.variants().keySet().stream()
        .collect(Collectors.toUnmodifiableMap(v -> v, v -> new FlagDecision(v, Source.RELAYED, FlagDecision.RELAYED)));
  }
}
