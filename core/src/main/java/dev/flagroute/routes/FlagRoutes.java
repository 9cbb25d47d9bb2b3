package dev.flagroute.routes;

import dev.flagroute.internal.access.Positions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, ordered set of {@link FlagRoute}s: every routing flag one service knows about.
 * Keys are unique ignoring case, because each key becomes a (case-insensitive) header name, and
 * the flags steering one service agree on its stable version (see {@link ServiceRoutes}).
 *
 * <p>Each route keeps its position in this set, by which a {@code FlagContext} stores decisions
 * without a map.
 */
public final class FlagRoutes implements Iterable<FlagRoute> {
  private static final FlagRoutes EMPTY = new FlagRoutes(List.of());

  static {
    Positions.lend((Positions.RouteAccess) FlagRoutes::indexOf);
  }

  private final List<FlagRoute> routes;
  private final Map<String, Integer> indexByLowerKey;
  private final Map<String, ServiceRoutes> byService;

  private FlagRoutes(List<FlagRoute> routes) {
    this.routes = List.copyOf(routes);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < this.routes.size(); i++) {
      index.put(this.routes.get(i).key().toLowerCase(Locale.ROOT), i);
    }
    this.indexByLowerKey = index;
    Map<String, List<FlagRoute>> flagsByService = new LinkedHashMap<>();
    this.routes.forEach(r -> flagsByService.computeIfAbsent(r.service(), s -> new ArrayList<>()).add(r));
    Map<String, ServiceRoutes> services = new LinkedHashMap<>();
    flagsByService.forEach((service, flags) -> services.put(service, new ServiceRoutes(service, flags)));
    this.byService = Collections.unmodifiableMap(services);
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
   * @throws InvalidRoutesException if two routes share a key, even in another case, or the flags
   *     steering one service map their default variants to different versions
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
    problems.addAll(stableVersionProblems(routes));
    if (!problems.isEmpty()) {
      throw new InvalidRoutesException(source, problems);
    }
    return new FlagRoutes(new ArrayList<>(routes));
  }

  /** One problem per flag whose default variant maps to another version than its service's first flag's. */
  private static List<String> stableVersionProblems(Collection<FlagRoute> routes) {
    List<String> problems = new ArrayList<>();
    Map<String, FlagRoute> firstByService = new HashMap<>();
    for (FlagRoute route : routes) {
      FlagRoute first = firstByService.putIfAbsent(route.service(), route);
      String stable = first == null ? null : first.versionOf(first.defaultVariant());
      String version = route.versionOf(route.defaultVariant());
      if (stable != null && !stable.equals(version)) {
        problems.add("flag '" + route.key() + "': its default variant '" + route.defaultVariant() + "' maps to version '"
            + version + "', but flag '" + first.key() + "' makes '" + stable + "' the stable version of service '"
            + route.service() + "'; the default variants of all flags steering one service must map to one version");
      }
    }
    return problems;
  }

  /** The route for {@code key} (matched ignoring case), or {@code null}. */
  public FlagRoute get(String key) {
    int index = indexOf(key);
    return index < 0 ? null : routes.get(index);
  }

  /** The position of the route for {@code key} (matched ignoring case), or -1. */
  int indexOf(String key) {
    if (key == null) {
      return -1;
    }
    Integer index = indexByLowerKey.get(key);
    if (index == null) {
      index = indexByLowerKey.get(key.toLowerCase(Locale.ROOT));
    }
    return index == null ? -1 : index;
  }

  /** All routes, in order. */
  public List<FlagRoute> asList() {
    return routes;
  }

  /** The flags steering {@code service} and its precedence, or {@code null} if no flag steers it. */
  public ServiceRoutes service(String service) {
    return byService.get(service);
  }

  /** The services these routes steer, in order of first appearance. */
  public Set<String> services() {
    return byService.keySet();
  }

  /** The flags of each service these routes steer, in order of first appearance. */
  public Collection<ServiceRoutes> serviceRoutes() {
    return byService.values();
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

  /**
   * Validates a routes document that a YAML or JSON parser has already read into maps, lists and
   * scalars: the same rules and messages as {@link FlagRoutesFile}, for callers that parse with a library
   * of their own (the Spring Boot starter uses the YAML parser Boot already loaded); this needs no YAML library. Scalars are
   * read with {@code String.valueOf}, so a parser should give every scalar as written.
   *
   * <pre>{@code
   * FlagRoutes routes = FlagRoutes.fromDocument(Map.of("routes", List.of(Map.of("flag", "checkout",
   *     "service", "reviews", "default", "v1", "variants", Map.of("v1", "v1", "v2", "v2")))), "inline");
   * }</pre>
   *
   * @param document a map with a top-level {@code routes} list
   * @param source names the document in error messages, e.g. a file name
   * @throws InvalidRoutesException naming the source, each bad flag and its problem
   */
  public static FlagRoutes fromDocument(Object document, String source) {
    return RoutesDocument.read(document, source);
  }
}
