package dev.flagroute.routes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, ordered set of {@link FlagRoute}s: every routing flag one service knows about.
 * Keys are unique ignoring case, because each key becomes a (case-insensitive) header name.
 *
 * <p>Each route has a stable {@link #indexOf(String) index}, its position in this set, which
 * {@code FlagContext} uses to store decisions without a map.
 */
public final class FlagRoutes implements Iterable<FlagRoute> {
  private static final FlagRoutes EMPTY = new FlagRoutes(List.of());

  private final List<FlagRoute> routes;
  private final Map<String, Integer> indexByLowerKey;

  private FlagRoutes(List<FlagRoute> routes) {
    this.routes = List.copyOf(routes);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < this.routes.size(); i++) {
      index.put(this.routes.get(i).key().toLowerCase(Locale.ROOT), i);
    }
    this.indexByLowerKey = index;
  }

  /** The empty set of routes. */
  public static FlagRoutes empty() {
    return EMPTY;
  }

  /** The given routes, in order. */
  public static FlagRoutes of(FlagRoute... routes) {
    return of(Arrays.asList(routes));
  }

  /**
   * The given routes, in order.
   *
   * @throws InvalidRoutesException if two routes share a key, even in another case
   */
  public static FlagRoutes of(Collection<FlagRoute> routes) {
    return of("builder", routes);
  }

  static FlagRoutes of(String source, Collection<FlagRoute> routes) {
    List<String> problems = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (FlagRoute route : routes) {
      String previous = seen.putIfAbsent(route.key().toLowerCase(Locale.ROOT), route.key());
      if (previous != null) {
        problems.add(previous.equals(route.key())
            ? "flag '" + route.key() + "': declared twice"
            : "flag '" + route.key() + "': shares its header with flag '" + previous
                + "' (header names ignore case)");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRoutesException(source, problems);
    }
    return new FlagRoutes(new ArrayList<>(routes));
  }

  /** The route for {@code key} (matched ignoring case), or {@code null}. */
  public FlagRoute get(String key) {
    int index = indexOf(key);
    return index < 0 ? null : routes.get(index);
  }

  /** The position of the route for {@code key} (matched ignoring case), or -1. */
  public int indexOf(String key) {
    if (key == null) {
      return -1;
    }
    Integer index = indexByLowerKey.get(key);
    if (index == null) {
      index = indexByLowerKey.get(key.toLowerCase(Locale.ROOT));
    }
    return index == null ? -1 : index;
  }

  /** The route at {@code index}. */
  public FlagRoute get(int index) {
    return routes.get(index);
  }

  /** All routes, in order. */
  public List<FlagRoute> asList() {
    return routes;
  }

  /** The routes that steer {@code service}, in order. */
  public List<FlagRoute> forService(String service) {
    return routes.stream().filter(r -> r.service().equals(service)).toList();
  }

  /** The services these routes steer, in order of first appearance. */
  public Set<String> services() {
    Set<String> services = new LinkedHashSet<>();
    routes.forEach(r -> services.add(r.service()));
    return services;
  }

  /** The number of routes. */
  public int size() {
    return routes.size();
  }

  /** Whether there are no routes. */
  public boolean isEmpty() {
    return routes.isEmpty();
  }

  @Override
  public Iterator<FlagRoute> iterator() {
    return routes.iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlagRoutes other && routes.equals(other.routes);
  }

  @Override
  public int hashCode() {
    return routes.hashCode();
  }

  @Override
  public String toString() {
    return "FlagRoutes" + routes;
  }
}
