package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.internal.access.ExtractSink;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.internal.RouteNames;
import java.util.HashMap;
import java.util.Map;

/**
 * Collects trusted stamped variants into a context builder: the routes' variants, and what the
 * relay carries without routing (a legal variant the routes do not list, a flag they do not
 * define), dropping values no variant can have. Carried flags are within the codec's limits.
 */
final class RelayRead implements ExtractSink {
  private final FlagRoutes routes;
  private final Relayed[] relayedByRoute;
  private final FlagContext.Builder builder;
  private final Events events;

  RelayRead(FlagRoutes routes, Relayed[] relayedByRoute, FlagContext.Builder builder, Events events) {
    this.routes = routes;
    this.relayedByRoute = relayedByRoute;
    this.builder = builder;
    this.events = events;
  }

  /** Always: a relay carries on the flags it does not route. */
  @Override
  public boolean hearsUnknownFlags() {
    return true;
  }

  @Override
  public void unrouted(String header, String key, String value) {
    if (!RouteNames.FLAG_KEY.matcher(key).matches() || Positions.indexOf(routes, key) >= 0) {
      events.dropped(header, DropReason.INVALID_KEY);
    } else if (value.isEmpty()) {
      events.dropped(header, DropReason.EMPTY_VALUE);
    } else if (!RouteNames.isVariant(value)) {
      events.dropped(header, DropReason.INVALID_VALUE);
    } else if (Positions.carries(builder, key)) {
      events.dropped(header, DropReason.DUPLICATE);
    } else {
      builder.carry(key, value);
    }
  }

  @Override
  public void flag(int routeIndex, String header, String value) {
    FlagDecision decision = relayedByRoute[routeIndex].find(value);
    if (decision != null) {
      Positions.putOwn(builder, routeIndex, decision);
    } else if (value.isEmpty()) {
      events.dropped(header, DropReason.EMPTY_VALUE);
    } else if (RouteNames.isVariant(value)) {
      Positions.putOwn(builder, routeIndex, new FlagDecision(value, Source.RELAYED, FlagDecision.UNKNOWN_VARIANT));
      events.unknownVariant(routeIndex, routes.asList().get(routeIndex).key(), value);
    } else {
      events.dropped(header, DropReason.INVALID_VALUE);
    }
  }

  @Override
  public boolean variant(int routeIndex, String value) {
    FlagDecision decision = relayedByRoute[routeIndex].find(value);
    if (decision != null) {
      Positions.putOwn(builder, routeIndex, decision);
      return true;
    }
    return false;
  }

  @Override
  public boolean variant(int routeIndex, String source, int from, int to) {
    FlagDecision decision = relayedByRoute[routeIndex].find(source, from, to);
    if (decision != null) {
      Positions.putOwn(builder, routeIndex, decision);
      return true;
    }
    return false;
  }

  /** Compares the region with the route's variants in place; only a value it drops is cut out. */
  @Override
  public void flag(int routeIndex, String header, String source, int from, int to) {
    FlagDecision decision = relayedByRoute[routeIndex].find(source, from, to);
    if (decision != null) {
      Positions.putOwn(builder, routeIndex, decision);
    } else {
      flag(routeIndex, header, source.substring(from, to));
    }
  }

  @Override
  public void dropped(String header, DropReason reason) {
    events.dropped(header, reason);
  }

  /** The relayed decision of each variant of one route, shared by every request and never modified. */
  static final class Relayed {
    /** Up to this many variants, a scan of them beats hashing the inbound value. */
    private static final int MAX_SCANNED = 8;

    private final FlagDecision[] decisions;
    private final Map<String, FlagDecision> byVariant;

    Relayed(FlagRoute route) {
      decisions = route.variants().keySet().stream()
          .map(v -> new FlagDecision(v, Source.RELAYED, FlagDecision.RELAYED)).toArray(FlagDecision[]::new);
      if (decisions.length > MAX_SCANNED) {
        byVariant = new HashMap<>();
        for (FlagDecision decision : decisions) {
          byVariant.put(decision.variant(), decision);
        }
      } else {
        byVariant = null;
      }
    }

    /** The decision relaying {@code variant}, or null if the route has no such variant. */
    FlagDecision find(String variant) {
      if (byVariant != null) {
        return byVariant.get(variant);
      }
      for (FlagDecision decision : decisions) {
        if (decision.variant().equals(variant)) {
          return decision;
        }
      }
      return null;
    }

    /** The decision relaying the variant spelled by {@code source} from {@code from} to {@code to}, or null. */
    FlagDecision find(String source, int from, int to) {
      if (byVariant != null) {
        return byVariant.get(source.substring(from, to));
      }
      int length = to - from;
      for (FlagDecision decision : decisions) {
        String variant = decision.variant();
        if (variant.length() == length && variant.charAt(0) == source.charAt(from)
            && source.regionMatches(from, variant, 0, length)) {
          return decision;
        }
      }
      return null;
    }
  }
}
