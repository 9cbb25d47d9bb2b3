package dev.flagroute.kafka;

import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;

/** The routes every test uses: the service {@code worker} in versions v1 (stable), v2 and v3. */
final class TestFlags {
  static final String SERVICE = "worker";
  static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("lane").service(SERVICE)
          .variant("v1", "v1").variant("v2", "v2").variant("v3", "v3").defaultVariant("v1").build(),
      FlagRoute.builder("search").service("search")
          .variant("off", "off").variant("on", "on").defaultVariant("off").build());

  private TestFlags() {
  }

  static FlagRouter relay() {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).build();
  }

  /** An edge router whose provider decides {@code lane=v3} and {@code search=on} for everyone. */
  static FlagRouter edge() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new InMemoryProvider(Map.of(
        "lane", Flag.<String>builder().variant("v3", "v3").defaultVariant("v3").build(),
        "search", Flag.<String>builder().variant("on", "on").defaultVariant("on").build())));
    Client client = api.getClient();
    return FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(client).build();
  }

  /** A context as if relayed from an earlier hop. */
  static FlagContext lane(String version) {
    return FlagContext.builder(ROUTES).relayed("lane", version).relayed("search", "on").build();
  }
}
