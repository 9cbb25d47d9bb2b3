package dev.flagroute.codec;

import dev.flagroute.routes.FlagRoutes;


/** What binds to routes: every codec {@code HeaderCodec}'s factories return, bound or not. */
interface CodecBinder {
  /**
   * This codec's wire format bound to {@code routes} and {@code limits}, for a router reading
   * override tokens from {@code overrideHeader} (lowercase).
   */
  BoundCodec bind(FlagRoutes routes, HeaderLimits limits, String overrideHeader);
}
