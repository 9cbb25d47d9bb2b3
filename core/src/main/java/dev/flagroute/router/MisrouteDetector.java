package dev.flagroute.router;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.Misroute;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.RouteNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells whether a request reached the right version of this service. A service instance knows its
 * name and version label; a request that carries (relays) a variant of a flag steering this
 * service should arrive at the version serving that variant, as the generated mesh rules send it.
 *
 * <p>When several flags steer the service, the mesh follows the flagged (non-default) variants
 * first: the request is misrouted if none of its flagged variants is served here, or, carrying
 * only default variants, if none of them is served here. Variants decided at this hop (evaluated,
 * defaulted, overridden) are not checked: the mesh has not routed on them yet. Thread-safe.
 *
 * <pre>{@code
 * MisrouteDetector detector = MisrouteDetector.of(routes, "reviews", "v1");
 * detector.check(FlagContext.current()).ifPresent(m -> log.debug("misrouted: {}", m));
 * }</pre>
 */
public final class MisrouteDetector {
  private final FlagRoutes routes;
  private final String service;
  private final String version;
  private final int[] steering;

  private MisrouteDetector(FlagRoutes routes, String service, String version) {
    this.routes = routes;
    this.service = service;
    this.version = version;
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      if (routes.get(i).service().equals(service)) {
        indexes.add(i);
      }
    }
    this.steering = indexes.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * A detector for instances of {@code service} labelled {@code version}.
   *
   * @throws IllegalArgumentException if the service is not a DNS name or the version not a label
   */
  public static MisrouteDetector of(FlagRoutes routes, String service, String version) {
    Objects.requireNonNull(routes, "routes");
    if (service == null || !RouteNames.SERVICE.matcher(service).matches()) {
      throw new IllegalArgumentException("service '" + service + "' must be a lowercase DNS name such as 'reviews'");
    }
    if (version == null || !RouteNames.VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("version '" + version + "' must be a lowercase DNS label such as 'v1'");
    }
    return new MisrouteDetector(routes, service, version);
  }

  /** This service's name. */
  public String service() {
    return service;
  }

  /** This instance's version label. */
  public String version() {
    return version;
  }

  /** The misroute of a request with {@code context}, or empty if it arrived where the mesh sends it. */
  public Optional<Misroute> check(FlagContext context) {
    int misrouted = misroutedIndex(context);
    if (misrouted < 0) {
      return Optional.empty();
    }
    FlagRoute route = routes.get(misrouted);
    String variant = decision(context, misrouted).variant();
    return Optional.of(new Misroute(service, version, route.key(), variant, route.versionOf(variant)));
  }

  /** The index of the route whose carried variant points elsewhere, or -1 if the request is where it belongs. */
  private int misroutedIndex(FlagContext context) {
    int firstFlagged = -1;
    int firstDefault = -1;
    boolean defaultServedHere = false;
    for (int index : steering) {
      FlagDecision decision = decision(context, index);
      if (decision == null || decision.source() != Source.RELAYED) {
        continue;
      }
      FlagRoute route = routes.get(index);
      boolean servedHere = version.equals(route.versionOf(decision.variant()));
      if (!decision.variant().equals(route.defaultVariant())) {
        if (servedHere) {
          return -1;
        }
        firstFlagged = firstFlagged < 0 ? index : firstFlagged;
      } else if (servedHere) {
        defaultServedHere = true;
      } else {
        firstDefault = firstDefault < 0 ? index : firstDefault;
      }
    }
    if (firstFlagged >= 0) {
      return firstFlagged;
    }
    return defaultServedHere ? -1 : firstDefault;
  }

  private FlagDecision decision(FlagContext context, int index) {
    return context.routes() == routes ? context.decision(index) : context.decision(routes.get(index).key());
  }
}
