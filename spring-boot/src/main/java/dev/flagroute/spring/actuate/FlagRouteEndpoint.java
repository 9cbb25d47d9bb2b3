package dev.flagroute.spring.actuate;

import dev.flagroute.guard.GuardStatus;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.GuardOperator;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.verdict.Verdict;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code flagroute} actuator endpoint: the routes this service routes by, the router's mode
 * and header codec, the settings it was built with, defaults included (the override secret only
 * as {@code (set)} or {@code not set}), the state of the rollout guard for every guarded
 * variant, and the verdict and ramp of every judged or ramped variant. Mesh rules for the same routes come from {@code flagroute-mesh} (its generator or
 * command line).
 *
 * <p>Its write operation lets an operator act on the rollout guard ({@link #act}): force a guarded
 * variant off, back on, or reset its guard. The endpoint is read-only unless configured: writes need
 * {@code management.endpoint.flagroute.access=unrestricted}, and, like every endpoint but health,
 * it is reachable over HTTP only once exposed ({@code management.endpoints.web.exposure.include});
 * secure it as any actuator write (Spring Security's rules for the management paths).
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@Endpoint(id = "flagroute", defaultAccess = Access.READ_ONLY)
public final class FlagRouteEndpoint {
  private final FlagRouter router;
  private final Map<String, Object> configuration;

  /**
   * Describes {@code router}; {@code configuration} (setting to value, as core's
   * {@code RoutingSettings.effective()} gives it) is shown as given, so it must hold no secret.
   */
  public FlagRouteEndpoint(FlagRouter router, Map<String, Object> configuration) {
    this.router = Objects.requireNonNull(router, "router");
    this.configuration = Collections.unmodifiableMap(new TreeMap<>(configuration));
  }

  /** The routes, the router and its configuration. */
  @ReadOperation
  public Description describe() {
    List<Route> routes = router.routes().asList().stream().map(Route::of).toList();
    return new Description(router.mode().name().toLowerCase(Locale.ROOT), router.codec().toString(),
        router.codec().headerNames(router.routes()), routes, configuration, router.guardStatus(),
        router.verdicts(), router.ramps());
  }

  /**
   * An operator's action on the rollout guard of {@code variant} of {@code flag}: {@code force-off}
   * (a kill switch: its requests get the default variant until switched back on), {@code force-on}
   * or {@code reset} (forget the evidence and close it). Reported to the metrics and the log like
   * every guard transition. Its new status.
   *
   * @throws InvalidEndpointRequestException (HTTP 400) for an unknown action, an unguarded flag or a
   *     variant that is not one of its non-default variants
   */
  @WriteOperation
  public GuardStatus act(String flag, String variant, String action) {
    GuardOperator operator = router.guardOperator();
    try {
      return switch (String.valueOf(action).toLowerCase(Locale.ROOT)) {
        case "force-off" -> operator.forceOff(flag, variant);
        case "force-on" -> operator.forceOn(flag, variant);
        case "reset" -> operator.reset(flag, variant);
        default -> throw new IllegalArgumentException("unknown action '" + action
            + "'; the actions are force-off, force-on and reset");
      };
    } catch (IllegalArgumentException e) {
      throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
    }
  }

  /**
   * What the endpoint shows.
   *
   * @param mode edge or relay
   * @param codec the header codec
   * @param headers the header names flags travel in
   * @param routes the routing flags
   * @param configuration the settings the router was built with, no secret among them
   * @param guard the rollout guard's state of every guarded variant; empty when it is off
   * @param verdicts each judged variant compared with its flag's default; empty when none is judged
   * @param ramps where each ramped variant stands; empty when the routes declare no ramp
   */
  public record Description(String mode, String codec, List<String> headers, List<Route> routes,
      Map<String, Object> configuration, List<GuardStatus> guard, List<Verdict> verdicts, List<RampStatus> ramps) {}

  /**
   * One routing flag.
   *
   * @param flag the flag key
   * @param service the mesh service it steers
   * @param defaultVariant the stable variant
   * @param variants each variant's version label
   */
  public record Route(String flag, String service, String defaultVariant, Map<String, String> variants) {
    static Route of(FlagRoute route) {
      return new Route(route.key(), route.service(), route.defaultVariant(), route.variants());
    }
  }
}
