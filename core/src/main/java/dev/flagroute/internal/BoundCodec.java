package dev.flagroute.internal;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;

/**
 * A {@link HeaderCodec} bound to the routes and limits of one router, with everything it needs per
 * request computed once (header names, key positions). It reads inbound headers for the router and
 * writes outbound ones for contexts of its routes without a lookup; everything else is its codec's.
 * Not API.
 */
public abstract class BoundCodec implements HeaderCodec, CodecBinder {
  /** The codec whose wire format this is. */
  protected final HeaderCodec codec;
  /** The routes whose flags it reads and writes. */
  protected final FlagRoutes routes;
  /** The bounds on what it reads. */
  protected final HeaderLimits limits;
  /** The header its router reads override tokens from, lowercase. */
  protected final String overrideHeader;

  /**
   * Binds {@code codec}, which must be a {@link CodecBinder}, to {@code routes} and {@code limits},
   * for a router reading override tokens from {@code overrideHeader} (lowercase).
   */
  protected BoundCodec(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
    this.codec = codec;
    this.routes = routes;
    this.limits = limits;
    this.overrideHeader = overrideHeader;
  }

  /**
   * Reads the flags of the routes from {@code carrier}, reporting each value and each drop to
   * {@code sink}. Never throws on any header content; bounded by the limits.
   */
  public abstract <C> void extract(C carrier, HeaderGetter<C> getter, ExtractSink sink);

  /**
   * {@code codec} bound to {@code routes} and {@code limits}, with the default override header.
   *
   * @throws IllegalArgumentException if {@code codec} is not one of flagroute's codecs
   */
  public static BoundCodec bind(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits) {
    return bind(codec, routes, limits, OverrideTokens.DEFAULT_HEADER);
  }

  /**
   * {@code codec} bound to {@code routes} and {@code limits}, for a router reading override tokens
   * from {@code overrideHeader} (lowercase).
   *
   * @throws IllegalArgumentException if {@code codec} is not one of flagroute's codecs
   */
  public static BoundCodec bind(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
    if (codec instanceof CodecBinder binder) {
      return binder.bind(routes, limits, overrideHeader);
    }
    throw new IllegalArgumentException(codec + " is not a flagroute codec; use HeaderCodec.perFlag(), combined() or"
        + " baggage(), which the mesh rules generated from the routes match");
  }

  /** The routes whose flags it reads and writes. */
  public FlagRoutes routes() {
    return routes;
  }

  /** The header its router reads override tokens from, lowercase. */
  public String overrideHeader() {
    return overrideHeader;
  }

  @Override
  public BoundCodec bind(FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
    return bind(codec, routes, limits, overrideHeader);
  }

  @Override
  public boolean owns(String headerName) {
    return codec.owns(headerName);
  }

  /** Also the router's own override header, whatever it is called. */
  @Override
  public boolean strips(String headerName) {
    return codec.strips(headerName) || overrideHeader.equalsIgnoreCase(headerName);
  }

  @Override
  public List<String> headerNames(FlagRoutes routes) {
    return codec.headerNames(routes);
  }

  @Override
  public HeaderMatch match(FlagRoute route, String variant) {
    return codec.match(route, variant);
  }

  @Override
  public String toString() {
    return codec.toString();
  }
}
