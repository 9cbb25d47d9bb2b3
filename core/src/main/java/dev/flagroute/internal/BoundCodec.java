package dev.flagroute.internal;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.routes.FlagRoutes;

/**
 * A {@link HeaderCodec} bound to the routes and limits of one router, with everything it needs per
 * request computed once (header names, key positions). It reads inbound headers for the router and
 * writes outbound ones for contexts of its routes without a lookup. Not API.
 */
public interface BoundCodec extends HeaderCodec {
  /** The routes whose flags it reads and writes. */
  FlagRoutes routes();

  /**
   * Reads the flags of {@link #routes()} from {@code carrier}, reporting each value and each drop
   * to {@code sink}. Never throws on any header content; bounded by the limits it was bound with.
   */
  <C> void extract(C carrier, HeaderGetter<C> getter, ExtractSink sink);

  /** What binds: every codec {@link HeaderCodec}'s factories return, bound or not. */
  interface Binder {
    /** This codec's wire format bound to {@code routes} and {@code limits}. */
    BoundCodec bind(FlagRoutes routes, HeaderLimits limits);
  }

  /**
   * {@code codec} bound to {@code routes} and {@code limits}.
   *
   * @throws IllegalArgumentException if {@code codec} is not one of flagroute's codecs
   */
  static BoundCodec bind(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits) {
    if (codec instanceof Binder binder) {
      return binder.bind(routes, limits);
    }
    throw new IllegalArgumentException(codec + " is not a flagroute codec; use HeaderCodec.perFlag(), combined() or"
        + " baggage(), which the mesh rules generated from the routes match");
  }
}
