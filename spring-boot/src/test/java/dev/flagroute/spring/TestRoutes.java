package dev.flagroute.spring;

import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;

/** The routes of the unit tests: {@code checkout} steering {@code reviews}, variants v1 and v2. */
public final class TestRoutes {
  /** The routes. */
  public static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build());

  private TestRoutes() {}

  /** A context relaying {@code checkout=variant}. */
  public static FlagContext checkout(String variant) {
    return FlagContext.builder(ROUTES).relayed("checkout", variant).build();
  }
}
