package dev.flagroute.codec;

import dev.flagroute.internal.AsciiNames;
import dev.flagroute.internal.WireNames;
import dev.flagroute.internal.access.CodecAccess;
import dev.flagroute.internal.access.ExtractSink;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.function.Consumer;


/**
 * A {@link HeaderCodec} bound to the routes and limits of one router, with everything it needs per
 * request computed once (header names, key positions). It reads inbound headers for the router and
 * writes outbound ones for contexts of its routes without a lookup; everything else is its codec's.
 * Package-private: the router, the adapters and the harness reach it through {@link CodecAccess},
 * which this class lends its operations to when it is initialized.
 */
abstract non-sealed class BoundCodec implements HeaderCodec, CodecBinder {
  static {
    CodecAccess.lend(new Lending());
  }

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
  abstract <C> void extract(C carrier, HeaderGetter<C> getter, ExtractSink sink);

  /** {@code codec} bound to {@code routes} and {@code limits}, with the default override header. */
  static BoundCodec bind(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits) {
    return bind(codec, routes, limits, WireNames.OVERRIDE_HEADER);
  }

  /** Initializes this class, which lends {@link CodecAccess} its operations. */
  static void lendAccess() {
    // the static initializer does the work
  }

  /**
   * {@code codec} bound to {@code routes} and {@code limits}, for a router reading override tokens
   * from {@code overrideHeader} (lowercase). Every codec is a {@link CodecBinder}: {@link HeaderCodec}
   * is sealed.
   */
  static BoundCodec bind(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
    return ((CodecBinder) codec).bind(routes, limits, overrideHeader);
  }

  /** The routes whose flags it reads and writes. */
  FlagRoutes routes() {
    return routes;
  }

  /** The header its router reads override tokens from, lowercase. */
  String overrideHeader() {
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
    return codec.strips(headerName) || AsciiNames.same(overrideHeader, headerName);
  }

  @Override
  public String withoutFlags(String headerName, String value) {
    return strips(headerName) && !owns(headerName) ? null : codec.withoutFlags(headerName, value);
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

  /** What {@link CodecAccess} hands out. */
  private static final class Lending implements CodecAccess.Lender {
    @Override
    public HeaderCodec bind(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader,
        String shadowHeader, MeshHosts meshHosts, Consumer<String> egressBlocked) {
      return ShadowMarking.of(BoundCodec.bind(codec, routes, limits, overrideHeader), shadowHeader, meshHosts,
          egressBlocked);
    }

    @Override
    public <C> void extract(HeaderCodec bound, C carrier, HeaderGetter<C> getter, ExtractSink sink) {
      if (!(bound instanceof BoundCodec reader)) {
        throw new IllegalArgumentException(bound + " is not bound to routes");
      }
      reader.extract(carrier, getter, sink);
    }

    @Override
    public String overrideHeader(HeaderCodec codec) {
      return codec instanceof BoundCodec bound ? bound.overrideHeader : WireNames.OVERRIDE_HEADER;
    }

    @Override
    public HeaderCodec foreignWriter(HeaderCodec bound, String headerName, String value) {
      return ForeignHeaders.writer(bound instanceof BoundCodec b ? b.codec : bound, headerName, value);
    }

    @Override
    public String shadowHeader(HeaderCodec codec) {
      return codec instanceof ShadowMarking marking ? marking.shadowHeader() : WireNames.SHADOW_HEADER;
    }
  }
}
