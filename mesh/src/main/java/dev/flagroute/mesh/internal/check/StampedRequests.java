package dev.flagroute.mesh.internal.check;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Mirror;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The requests a drift check sends through the mesh rules: for each planned service, a request
 * stamped by the codec with every combination of its flags' variants (or, past
 * {@value #MAX_PER_SERVICE} combinations, one flag at a time) and one without flag headers, each
 * with the version the precedence rule sends it to (and mirrors it to); and every value stamped per header. Immutable.
 * Internal to flagroute-mesh.
 */
public final class StampedRequests {
  /** The most stamped requests per service. */
  public static final int MAX_PER_SERVICE = 1024;

  private final Map<String, List<Stamp>> byService = new LinkedHashMap<>();
  private final Map<String, Set<String>> values = new HashMap<>();

  /**
   * A request stamped from a context, and where the precedence rule sends it.
   *
   * @param context the decided flags, empty for the request without flag headers
   * @param request the request as the codec stamps it
   * @param expected the version the request must reach
   * @param mirror where a copy of the request must go, or {@code null} if it must not be mirrored
   */
  public record Stamp(FlagContext context, MeshRequest request, String expected, Mirror mirror) {}

  /** The requests for each of {@code plans}, planned from {@code routes} and stamped by {@code codec}. */
  public StampedRequests(FlagRoutes routes, HeaderCodec codec, List<ServicePlan> plans) {
    for (ServicePlan plan : plans) {
      List<Stamp> stamps = new ArrayList<>();
      for (FlagContext context : contexts(routes, plan.routes().flags())) {
        Map<String, String> headers = new TreeMap<>();
        codec.inject(context, headers, HeaderSetter.forMap());
        headers.forEach((name, value) -> values.computeIfAbsent(name, k -> new HashSet<>()).add(value));
        stamps.add(new Stamp(context, MeshRequest.of(headers), plan.expectedVersion(context),
            plan.expectedMirror(context)));
      }
      stamps.add(new Stamp(FlagContext.empty(), MeshRequest.of(Map.of()), plan.routes().stableVersion(), null));
      byService.put(plan.service(), List.copyOf(stamps));
    }
  }

  /** The requests for {@code plan}'s service. */
  public List<Stamp> of(ServicePlan plan) {
    return byService.get(plan.service());
  }

  /** Every value stamped into header {@code name} (lowercase), empty if none. */
  public Set<String> values(String name) {
    return Set.copyOf(values.getOrDefault(name, Set.of()));
  }

  /** Every combination of the flags' variants, or one flag at a time if there are too many. */
  private static List<FlagContext> contexts(FlagRoutes routes, List<FlagRoute> flags) {
    long combinations = 1;
    for (FlagRoute flag : flags) {
      combinations = Math.min(combinations * flag.variants().size(), MAX_PER_SERVICE + 1L);
    }
    FlagContext defaults = FlagContext.builder(routes).fillDefaults(FlagDecision.MISSING).build();
    List<FlagContext> contexts = new ArrayList<>();
    if (combinations <= MAX_PER_SERVICE) {
      enumerate(flags, 0, defaults, contexts);
      return contexts;
    }
    contexts.add(defaults);
    for (FlagRoute flag : flags) {
      for (String variant : flag.variants().keySet()) {
        if (!variant.equals(flag.defaultVariant()) && contexts.size() < MAX_PER_SERVICE) {
          contexts.add(defaults.toBuilder().relayed(flag.key(), variant).build());
        }
      }
    }
    return contexts;
  }

  private static void enumerate(List<FlagRoute> flags, int index, FlagContext context, List<FlagContext> out) {
    if (index == flags.size()) {
      out.add(context);
      return;
    }
    FlagRoute flag = flags.get(index);
    for (String variant : flag.variants().keySet()) {
      enumerate(flags, index + 1, variant.equals(flag.defaultVariant()) ? context
          : context.toBuilder().relayed(flag.key(), variant).build(), out);
    }
  }
}
