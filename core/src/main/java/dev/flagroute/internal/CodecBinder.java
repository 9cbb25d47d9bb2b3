package dev.flagroute.internal;

import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.routes.FlagRoutes;

/** What binds to routes: every codec {@code HeaderCodec}'s factories return, bound or not. Not API. */
public interface CodecBinder {
  /**
   * This codec's wire format bound to {@code routes} and {@code limits}, for a router reading
   * override tokens from {@code overrideHeader} (lowercase).
   */
  BoundCodec bind(FlagRoutes routes, HeaderLimits limits, String overrideHeader);
}
