package dev.flagroute.router;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.EvaluationContext;

/**
 * How a router turns one inbound request into its flags: {@link EdgePipeline} decides them,
 * {@link RelayPipeline} carries them. Never throws but what {@code Fatal} lets through.
 */
interface RoutePipeline {
  /**
   * The flags of one request, every flag of the routes decided; {@code context} is never null,
   * {@code authority} may be.
   */
  <C> FlagContext route(C carrier, HeaderGetter<C> getter, EvaluationContext context, String authority);

  /** Every flag of {@code routes} at its default, for a request whose routing failed. */
  static FlagContext failed(FlagRoutes routes) {
    return FlagContext.builder(routes).fillDefaults("ERROR").build();
  }
}
