package dev.flagroute.benchmarks;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The cold cost of getting a service ready to route, in a fresh JVM: load a routes file and build
 * an EDGE router with a client of the OpenFeature API, then route one request. The provider (the
 * benchmarks' in-memory one) is set up before the clock starts: an application using OpenFeature
 * pays for that with or without flagroute. Prints one line of milliseconds, {@code load build first-request}, each
 * measured from the end of the previous step; {@code run-cold-start.sh} starts it many times.
 */
public final class ColdStart {
  private ColdStart() {}

  /** {@code args[0]}: the routes file. */
  public static void main(String[] args) {
    OpenFeatureAPI.getInstance().setProviderAndWait(Fixtures.memoryProvider(new Fixtures.Evaluations()));
    long start = System.nanoTime();
    FlagRoutes routes = FlagRoutesFile.load(Path.of(args[0]));
    long loaded = System.nanoTime();
    FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.EDGE)
        .client(OpenFeatureAPI.getInstance().getClient()).cacheKeyAttributes(Fixtures.KEY_ATTRIBUTES).build();
    long built = System.nanoTime();
    FlagContext flags = router.route(Map.of("user-agent", "cold"), HeaderGetter.forMap(), Fixtures.user("user-1"));
    long routed = System.nanoTime();
    if (flags.size() != routes.size()) {
      throw new IllegalStateException("routed " + flags.size() + " flags, not " + routes.size());
    }
    System.out.printf("%.2f %.2f %.2f%n", (loaded - start) / 1e6, (built - loaded) / 1e6, (routed - built) / 1e6);
  }
}
