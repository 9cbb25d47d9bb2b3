package dev.flagroute.spring.health;

import dev.flagroute.evaluation.WarmUpReport;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.routes.FlagRoute;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ProviderState;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of flag routing: the routes the router loaded and the readiness of the OpenFeature
 * provider that decides them. The provider's state maps to a status:
 * <ul>
 *   <li>{@code READY} and {@code STALE} (decisions are served, perhaps from older flag data): UP;
 *   <li>{@code NOT_READY} (still starting; every flag takes its default): OUT_OF_SERVICE;
 *   <li>{@code ERROR} and {@code FATAL} (every flag takes its default): DOWN.
 * </ul>
 * A relay that evaluates nothing needs no provider and is UP. What the start-up warm-up found
 * ({@code FlagRouter.warmUp}: a flag the provider does not know, a type that cannot route, a variant
 * the routes do not list) is shown by name under {@code startupProblems}; it leaves the status as
 * the provider's, since requests still route (those flags by their defaults). Requests never fail because of the
 * provider; the status says whether they are routed as the flags say or by defaults.
 *
 * <p>A relay that received flag headers of another codec than its own (a misconfigured hop or
 * mesh; see {@code CodecMismatch}) shows it in the detail {@code codecMismatch}: its codec, the
 * codec it saw, the header and how many requests carried such headers. The status stays as the
 * provider says: the relay serves every request, with the defaults for the flags it could not read.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagRouteHealthIndicator implements HealthIndicator {
  private final FlagRouter router;
  private final Client client;
  private final WarmUpReport warmUp;

  /** The health of {@code router}, whose flags {@code client} decides; {@code null} when it evaluates none. */
  public FlagRouteHealthIndicator(FlagRouter router, Client client) {
    this(router, client, null);
  }

  /** As {@link #FlagRouteHealthIndicator(FlagRouter, Client)}, showing what {@code warmUp} found (may be null). */
  public FlagRouteHealthIndicator(FlagRouter router, Client client, WarmUpReport warmUp) {
    this.router = Objects.requireNonNull(router, "router");
    this.client = client;
    this.warmUp = warmUp;
  }

  @Override
  public Health health() {
    Health.Builder health = new Health.Builder()
        .withDetail("mode", router.mode().name().toLowerCase(Locale.ROOT))
        .withDetail("routes", router.routes().asList().stream().map(FlagRoute::key).toList());
    router.lastCodecMismatch().ifPresent(mismatch -> health.withDetail("codecMismatch", Map.of(
        "expected", mismatch.expected(), "received", mismatch.received(), "header", mismatch.header(),
        "requests", router.codecMismatches())));
    if (warmUp != null && !warmUp.agrees()) {
      health.withDetail("startupProblems", warmUp.problems().stream().map(Object::toString).toList());
    }
    if (client == null) {
      return health.up().withDetail("provider", "not used: this relay evaluates no flag").build();
    }
    ProviderState state = client.getProviderState();
    return health.status(status(state)).withDetail("providerState", state.name()).build();
  }

  /** The status a provider state maps to. */
  public static Status status(ProviderState state) {
    return switch (state) {
      case READY, STALE -> Status.UP;
      case NOT_READY -> Status.OUT_OF_SERVICE;
      case ERROR, FATAL -> Status.DOWN;
    };
  }
}
