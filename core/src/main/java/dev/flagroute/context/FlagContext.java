package dev.flagroute.context;

import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The immutable snapshot of one request's routing decisions: for each routing flag, the decided
 * variant with its {@link Source} and reason.
 *
 * <p>A context is made current on a thread with {@link #makeCurrent()} and read back with
 * {@link #current()}; {@link #wrap(Runnable)} and {@link FlagExecutors} carry it to other threads.
 * Outside any scope, {@link #current()} is {@link #empty()}.
 *
 * <p>A context may be a {@linkplain #isShadow() shadow}: the context of a mirrored copy of a
 * request (a dark launch), whose response no user sees. Code with side effects (payments, emails,
 * writes) skips them when {@code FlagContext.current().isShadow()}.
 *
 * <p>A relay's context also holds what it carries without routing: the flags an earlier hop
 * decided that these routes do not define ({@link #carried()}), and variants of routed flags that
 * these routes do not list ({@link FlagDecision#isUnknownVariant()}). Outbound calls stamped from
 * the context carry both on unchanged, so a service with partial or older routes passes on the
 * edge's whole decision. An edge's context carries nothing it did not decide.
 */
public final class FlagContext {
  private static final ThreadLocal<FlagContext> CURRENT = new ThreadLocal<>();
  private static final String[] NO_FLAGS = new String[0];
  private static final FlagContext EMPTY =
      new FlagContext(FlagRoutes.empty(), new FlagDecision[0], NO_FLAGS, false);

  static {
    Positions.lend(new Positions.ContextAccess() {
      @Override
      public FlagDecision decision(FlagContext context, int index) {
        return context.decisions[index];
      }

      @Override
      public void put(Builder builder, int index, FlagDecision decision) {
        builder.put(index, decision);
      }

      @Override
      public void putOwn(Builder builder, int index, FlagDecision decision) {
        builder.writable()[index] = decision;
      }

      @Override
      public boolean isDecided(Builder builder, int index) {
        return builder.decisions[index] != null;
      }

      @Override
      public boolean carries(Builder builder, String key) {
        return builder.carries(key);
      }

      @Override
      public FlagContext context(FlagRoutes routes, FlagDecision[] decisions, String[] carried) {
        return new FlagContext(routes, decisions, carried == null ? NO_FLAGS : carried, false);
      }

      @Override
      public String[] carriedFlags(FlagContext context) {
        return context.carried;
      }
    });
  }

  private final FlagRoutes routes;
  private final FlagDecision[] decisions;
  /**
   * Flags no route defines, carried as received: key and variant alternating in the order read,
   * null past the last; never changed. A relay's read allocates no map for them.
   */
  private final String[] carried;
  private final boolean shadow;
  /** {@link #variantSummary()}, computed on first use; racy but idempotent, like {@code String.hash}. */
  private String variantSummary;

  private FlagContext(FlagRoutes routes, FlagDecision[] decisions, String[] carried, boolean shadow) {
    this.routes = routes;
    this.decisions = decisions;
    this.carried = carried;
    this.shadow = shadow;
  }

  /** The context with no decisions. */
  public static FlagContext empty() {
    return EMPTY;
  }

  /** The context current on this thread, or {@link #empty()} outside any scope. */
  public static FlagContext current() {
    FlagContext current = CURRENT.get();
    return current == null ? EMPTY : current;
  }

  /** Starts a context for flags of {@code routes}. */
  public static Builder builder(FlagRoutes routes) {
    return new Builder(routes, new FlagDecision[routes.size()]);
  }

  /** A builder holding this context's decisions and shadow mark, to derive a changed copy. */
  public Builder toBuilder() {
    Builder builder = new Builder(routes, decisions.clone()).shadow(shadow);
    carried().forEach(builder::carry);
    return builder;
  }

  /**
   * Whether this is the context of a shadow: a mirrored copy of a request (a dark launch), whose
   * response is thrown away. Skip side effects there. A relay marks a request as a shadow when the
   * mesh mirrored it to this service or an earlier hop was a shadow; the edge never does (see
   * {@code FlagRouter}). Outbound calls stamped from a shadow context carry the shadow marker, so
   * the next hop knows too.
   */
  public boolean isShadow() {
    return shadow;
  }

  /**
   * This context marked as a shadow: the same decisions, {@link #isShadow()} true. A new context
   * (never a change to this one, which a cache may share with other requests), or this one if it is
   * a shadow already.
   */
  public FlagContext asShadow() {
    return shadow ? this : new FlagContext(routes, decisions, carried, true);
  }

  /** The routes whose flags this context may hold. */
  public FlagRoutes routes() {
    return routes;
  }

  /**
   * The flags this context carries without routing them: flag key to variant as an earlier hop
   * stamped them, for flags its routes do not define, in the order they were read. Empty at the
   * edge, which drops whatever a client sent. Bounded by the reading router's {@code HeaderLimits}. An
   * immutable view of the context's own flags.
   */
  public Map<String, String> carried() {
    return CarriedFlags.of(carried);
  }

  /**
   * The decided variant of {@code key} (a routed flag, matched ignoring case), or {@code null} if
   * this context has none; see {@link #carried()} for flags the routes do not define.
   */
  public String variant(String key) {
    FlagDecision decision = decision(key);
    return decision == null ? null : decision.variant();
  }

  /** The decision for {@code key} (matched ignoring case), or {@code null} if this context has none. */
  public FlagDecision decision(String key) {
    int index = Positions.indexOf(routes, key);
    return index < 0 ? null : decisions[index];
  }

  /** Calls {@code action} for each decided flag, in route order, without allocating. */
  public void forEach(BiConsumer<FlagRoute, FlagDecision> action) {
    for (int i = 0; i < decisions.length; i++) {
      if (decisions[i] != null) {
        action.accept(routes.asList().get(i), decisions[i]);
      }
    }
  }

  /** Flag key to decision, in route order. */
  public Map<String, FlagDecision> decisions() {
    Map<String, FlagDecision> map = new LinkedHashMap<>();
    forEach((route, decision) -> map.put(route.key(), decision));
    return Collections.unmodifiableMap(map);
  }

  /** Flag key to variant, in route order. */
  public Map<String, String> variants() {
    Map<String, String> map = new LinkedHashMap<>();
    forEach((route, decision) -> map.put(route.key(), decision.variant()));
    return Collections.unmodifiableMap(map);
  }

  /**
   * The variants as one line, {@code checkout=v2,search=on}, in route order: the form for log
   * context such as an MDC entry. Computed once per context, so a cached decision reuses it.
   */
  public String variantSummary() {
    String summary = variantSummary;
    if (summary == null) {
      StringBuilder line = new StringBuilder();
      forEach((route, decision) -> {
        if (line.length() > 0) {
          line.append(',');
        }
        line.append(route.key()).append('=').append(decision.variant());
      });
      summary = line.toString();
      variantSummary = summary;
    }
    return summary;
  }

  /** The number of decided flags. */
  public int size() {
    int size = 0;
    for (FlagDecision decision : decisions) {
      if (decision != null) {
        size++;
      }
    }
    return size;
  }

  /** Whether no flag is decided. */
  public boolean isEmpty() {
    return size() == 0;
  }

  /**
   * Whether stamping this context writes no flag: none is decided and none is {@linkplain #carried()
   * carried}. Outbound adapters stamp, replacing flag headers set by hand, unless this holds; a relay
   * whose routes define none of the flags it received still has something to stamp.
   */
  public boolean hasNothingToStamp() {
    return !carriesAny() && isEmpty();
  }

  /** Makes this context current on this thread until the returned scope is closed. */
  public FlagScope makeCurrent() {
    FlagContext previous = CURRENT.get();
    if (previous == this) {
      return () -> {};
    }
    CURRENT.set(this);
    return new RestoringScope(previous);
  }

  /** A runnable that runs {@code task} with this context current. */
  public Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try (FlagScope ignored = makeCurrent()) {
        task.run();
      }
    };
  }

  /** A callable that calls {@code task} with this context current. */
  public <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try (FlagScope ignored = makeCurrent()) {
        return task.call();
      }
    };
  }

  /**
   * Equal decisions, carried flags and shadow mark: a shadow never equals the context of a request
   * users see.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof FlagContext other && shadow == other.shadow && carried().equals(other.carried())
        && (isEmpty() && other.isEmpty()
            || routes.equals(other.routes) && Arrays.equals(decisions, other.decisions));
  }

  @Override
  public int hashCode() {
    return (isEmpty() ? 0 : Arrays.hashCode(decisions)) + 31 * carried().hashCode() + (shadow ? 1 : 0);
  }

  @Override
  public String toString() {
    return "FlagContext" + decisions() + (carriesAny() ? " carried " + carried() : "")
        + (shadow ? " (shadow)" : "");
  }

  /** Whether this context carries any flag without routing it, without making the map view. */
  private boolean carriesAny() {
    return carried.length > 0 && carried[0] != null;
  }

  private static final class RestoringScope implements FlagScope {
    private final FlagContext previous;
    private boolean closed;

    RestoringScope(FlagContext previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      // set, not remove: outside any scope the thread keeps an entry holding nothing, rather than
      // paying to clear the entry and create it again on every request of a pooled thread
      CURRENT.set(previous);
    }
  }

  /** Builds a {@link FlagContext}; not thread-safe. */
  public static final class Builder {
    private final FlagRoutes routes;
    private FlagDecision[] decisions;
    private Map<String, String> carried;
    private boolean shadow;

    private Builder(FlagRoutes routes, FlagDecision[] decisions) {
      this.routes = Objects.requireNonNull(routes, "routes");
      this.decisions = decisions;
    }

    /**
     * Sets the decision for {@code key}.
     *
     * @throws IllegalArgumentException if {@code key} is not a route or the variant not one of
     *     its variants
     */
    public Builder put(String key, FlagDecision decision) {
      int index = Positions.indexOf(routes, key);
      if (index < 0) {
        throw new IllegalArgumentException("unknown flag '" + key + "'; known: " + routes.asList().stream()
            .map(FlagRoute::key).toList());
      }
      return put(index, decision);
    }

    private Builder put(int index, FlagDecision decision) {
      FlagRoute route = routes.asList().get(index);
      if (decision.isUnknownVariant() ? route.hasVariant(decision.variant()) || !RouteNames.isVariant(decision.variant())
          : !route.hasVariant(decision.variant())) {
        throw new IllegalArgumentException("flag '" + route.key() + "' has " + (decision.isUnknownVariant()
            ? "variant '" + decision.variant() + "' or it is no legal variant name, so it is no unknown variant"
            : "no variant '" + decision.variant() + "'") + "; its variants are " + route.variants().keySet());
      }
      writable()[index] = decision;
      return this;
    }

    /** Sets {@code key} to {@code variant} as if relayed from an earlier hop. */
    public Builder relayed(String key, String variant) {
      return put(key, new FlagDecision(variant, Source.RELAYED, FlagDecision.RELAYED));
    }

    /** Sets {@code key} to {@code variant} as if evaluated here with {@code reason}. */
    public Builder evaluated(String key, String variant, String reason) {
      return put(key, new FlagDecision(variant, Source.EVALUATED, reason));
    }

    /**
     * Carries flag {@code key}, which the routes do not define, with {@code variant}, as received
     * from an earlier hop; see {@link FlagContext#carried()}. A key carried already keeps its
     * first variant.
     *
     * @throws IllegalArgumentException if {@code key} is not a legal flag key or names a route
     *     (ignoring case), or {@code variant} is not a legal variant name
     */
    public Builder carry(String key, String variant) {
      if (key == null || !RouteNames.isFlagKey(key) || Positions.indexOf(routes, key) >= 0) {
        throw new IllegalArgumentException("cannot carry flag '" + key + "': it must be a legal flag key that no"
            + " route defines");
      }
      if (!RouteNames.isVariant(variant)) {
        throw new IllegalArgumentException("cannot carry flag '" + key + "': '" + variant + "' is no legal variant");
      }
      writable();
      if (carried == null) {
        carried = new LinkedHashMap<>();
      }
      carried.putIfAbsent(key, variant);
      return this;
    }

    /** Whether {@code key} is carried already (see {@link #carry}). */
    boolean carries(String key) {
      return carried != null && carried.containsKey(key);
    }

    /** Gives every undecided flag its default variant with {@code reason}. */
    public Builder fillDefaults(String reason) {
      for (int i = 0; i < decisions.length; i++) {
        if (decisions[i] == null) {
          writable()[i] = new FlagDecision(routes.asList().get(i).defaultVariant(), Source.DEFAULT, reason);
        }
      }
      return this;
    }

    /** Marks the context as a shadow ({@link FlagContext#isShadow()}) or not; not by default. */
    public Builder shadow(boolean shadow) {
      writable();
      this.shadow = shadow;
      return this;
    }

    /** The context. The builder hands its state over and cannot be used afterwards. */
    public FlagContext build() {
      FlagContext context = new FlagContext(routes, decisions, carried(), shadow);
      carried = null;
      decisions = null;
      return context;
    }

    private String[] carried() {
      if (carried == null) {
        return NO_FLAGS;
      }
      String[] flags = new String[2 * carried.size()];
      int i = 0;
      for (Map.Entry<String, String> flag : carried.entrySet()) {
        flags[i++] = flag.getKey();
        flags[i++] = flag.getValue();
      }
      return flags;
    }

    private FlagDecision[] writable() {
      if (decisions == null) {
        throw new IllegalStateException("builder already built; call toBuilder() on the context");
      }
      return decisions;
    }
  }
}
