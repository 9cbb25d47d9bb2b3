package dev.flagroute.internal.access;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.routes.FlagRoutes;

/**
 * Index-based access to core's immutable values, for flagroute's own code: a flag's position in
 * its {@link FlagRoutes}, and a {@link FlagContext}'s decisions by that position, which spare the
 * request path a lookup by key. The value classes lend these operations when they are
 * initialized. Not API: this package is not exported, and it may change in any release.
 */
public final class Positions {
  private static volatile RouteAccess routes;
  private static volatile ContextAccess contexts;

  private Positions() {}

  /** What {@link FlagRoutes} lends. */
  public interface RouteAccess {
    /** The position of the flag {@code key} (matched ignoring case), or -1. */
    int indexOf(FlagRoutes routes, String key);
  }

  /** What {@link FlagContext} lends. */
  public interface ContextAccess {
    /** The decision at {@code index}, or null. */
    FlagDecision decision(FlagContext context, int index);

    /** Sets the decision at {@code index}, checking it is one of the route's variants. */
    void put(FlagContext.Builder builder, int index, FlagDecision decision);

    /** Sets a decision at {@code index} made from one of the route's own variant instances, unchecked. */
    void putOwn(FlagContext.Builder builder, int index, FlagDecision decision);

    /** Whether the builder has a decision at {@code index}. */
    boolean isDecided(FlagContext.Builder builder, int index);

    /** Whether the builder carries the unrouted flag {@code key} already. */
    boolean carries(FlagContext.Builder builder, String key);

    /**
     * A context of {@code decisions}, taken over unchecked, carrying {@code carried} (key and
     * variant alternating, null past the last; taken over; null: none).
     */
    FlagContext context(FlagRoutes routes, FlagDecision[] decisions, String[] carried);

    /** The context's carried flags, key and variant alternating in read order, null past the last; read only. */
    String[] carriedFlags(FlagContext context);
  }

  /** Called once, by {@link FlagRoutes}. */
  public static void lend(RouteAccess access) {
    if (routes != null) {
      throw new IllegalStateException("route positions are already lent");
    }
    routes = access;
  }

  /** Called once, by {@link FlagContext}. */
  public static void lend(ContextAccess access) {
    if (contexts != null) {
      throw new IllegalStateException("context positions are already lent");
    }
    contexts = access;
  }

  /** The position of the flag {@code key} in {@code routes} (matched ignoring case), or -1. */
  public static int indexOf(FlagRoutes routes, String key) {
    return routeAccess().indexOf(routes, key);
  }

  /** The decision of the flag at {@code index} of {@code context}'s routes, or null. */
  public static FlagDecision decision(FlagContext context, int index) {
    return contextAccess().decision(context, index);
  }

  /** Sets the decision of the flag at {@code index}; throws if the variant is not the route's. */
  public static void put(FlagContext.Builder builder, int index, FlagDecision decision) {
    contextAccess().put(builder, index, decision);
  }

  /**
   * Sets a decision of the flag at {@code index} whose variant is the route's own instance (taken
   * from {@link dev.flagroute.routes.FlagRoute#variants()}), without the check {@link #put} makes:
   * for the relay's decisions, made once per variant when the router is built.
   */
  public static void putOwn(FlagContext.Builder builder, int index, FlagDecision decision) {
    contextAccess().putOwn(builder, index, decision);
  }

  /** Whether the flag at {@code index} has a decision in {@code builder}. */
  public static boolean isDecided(FlagContext.Builder builder, int index) {
    return contextAccess().isDecided(builder, index);
  }

  /** Whether {@code builder} carries the unrouted flag {@code key} already. */
  public static boolean carries(FlagContext.Builder builder, String key) {
    return contextAccess().carries(builder, key);
  }

  /**
   * A context of {@code routes} holding {@code decisions}, one per route, each made from one of
   * its route's variants (unchecked; the array is taken over, not copied), and carrying
   * {@code carried} (key and variant alternating, checked, distinct, in order, null past the last;
   * null for none; taken over).
   */
  public static FlagContext context(FlagRoutes routes, FlagDecision[] decisions, String[] carried) {
    return contextAccess().context(routes, decisions, carried);
  }

  /**
   * The flags {@code context} carries without routing them ({@link FlagContext#carried()}): key and
   * variant alternating, in read order, null past the last. The context's own array: read only.
   */
  public static String[] carriedFlags(FlagContext context) {
    return contextAccess().carriedFlags(context);
  }

  private static RouteAccess routeAccess() {
    RouteAccess access = routes;
    if (access == null) {
      FlagRoutes.empty(); // initializes the class, which lends its access
      access = routes;
    }
    return access;
  }

  private static ContextAccess contextAccess() {
    ContextAccess access = contexts;
    if (access == null) {
      FlagContext.empty();
      access = contexts;
    }
    return access;
  }
}
