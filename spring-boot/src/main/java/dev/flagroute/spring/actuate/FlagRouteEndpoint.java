package dev.flagroute.spring.actuate;

import dev.flagroute.guard.GuardStatus;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.verdict.Verdict;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code flagroute} actuator endpoint: the routes this service routes by, the router's mode
 * and header codec, the settings it was built with, defaults included (the override secret only
 * as {@code (set)} or {@code not set}), the state of the rollout guard for every guarded
 * variant, and the verdict and ramp of every judged or ramped variant. Mesh rules for the same routes come from {@code flagroute-mesh} (its generator or
 * command line).
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@Endpoint(id = "flagroute")
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
