package dev.flagroute.router;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.Misroute;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Mirror;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.routes.ServiceRoutes;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells whether a request reached the version of this service that the mesh rules send it to:
 * the version {@link ServiceRoutes} picks from the variants the request carried in (relayed).
 * Variants decided at this hop (evaluated, defaulted, overridden) are not the mesh's doing and
 * count as absent; a request that carried none of this service's flags is not checked.
 *
 * <p>A shadow ({@link FlagContext#isShadow()}) may also be at the version the deciding variant is
 * mirrored to ({@link ServiceRoutes#mirror}): that is where the mesh sends its copies. It may be at
 * the routed version too, since calls made from a shadow carry the marker and are routed like any
 * other (and mirrored again where a mirror applies); anywhere else it is a misroute, reported with
 * the mirror version as expected where the variant has one.
 * Thread-safe.
 */
final class MisrouteDetector {
  private final ServiceRoutes steering;
  private final String version;

  private MisrouteDetector(ServiceRoutes steering, String version) {
    this.steering = steering;
    this.version = version;
  }

  /**
   * A detector for instances of {@code service} labelled {@code version}, or {@code null} when no
   * flag of {@code routes} steers {@code service}.
   *
   * @throws IllegalArgumentException if the service is not a DNS name or the version not a label
   */
  static MisrouteDetector of(FlagRoutes routes, String service, String version) {
    Objects.requireNonNull(routes, "routes");
    if (service == null || !RouteNames.SERVICE.matcher(service).matches()) {
      throw new IllegalArgumentException("service '" + service + "' must be a lowercase DNS name such as 'reviews'");
    }
    if (version == null || !RouteNames.VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("version '" + version + "' must be a lowercase DNS label such as 'v1'");
    }
    ServiceRoutes steering = routes.service(service);
    return steering == null ? null : new MisrouteDetector(steering, version);
  }

  /** The misroute of a request with {@code context}, or empty if it arrived where the mesh sends it. */
  Optional<Misroute> check(FlagContext context) {
    FlagRoute carried = null;
    for (FlagRoute flag : steering.flags()) {
      if (relayed(context, flag) != null) {
        carried = flag;
        break;
      }
    }
    if (carried == null) {
      return Optional.empty();
    }
    String expected = steering.version(flag -> relayed(context, flag));
    if (expected.equals(version)) {
      return Optional.empty();
    }
    if (context.isShadow()) {
      Optional<String> mirrored = steering.mirror(flag -> relayed(context, flag)).map(Mirror::version);
      if (mirrored.isPresent()) {
        if (mirrored.get().equals(version)) {
          return Optional.empty();
        }
        expected = mirrored.get();
      }
    }
    FlagRoute deciding = steering.decidingFlag(flag -> relayed(context, flag)).orElse(carried);
    String variant = relayed(context, deciding);
    return Optional.of(new Misroute(steering.service(), version, deciding.key(), variant, expected));
  }

  /**
   * The variant {@code context} carried in for {@code flag}, or null; a variant the routes do not
   * list counts as none, as the mesh rules of these routes do not match it.
   */
  private static String relayed(FlagContext context, FlagRoute flag) {
    FlagDecision decision = context.decision(flag.key());
    return decision != null && decision.source() == Source.RELAYED && !decision.isUnknownVariant()
        ? decision.variant() : null;
  }
}
