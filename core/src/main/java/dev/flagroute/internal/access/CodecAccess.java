package dev.flagroute.internal.access;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.codec.MeshHosts;
import dev.flagroute.routes.FlagRoutes;
import java.util.function.Consumer;

/**
 * What the codec package lends the router, the adapters and the test harness: binding one of
 * {@link HeaderCodec}'s codecs to a router's routes, limits and header names, and reading inbound
 * headers with a bound codec. {@code HeaderCodec} is sealed, so the bound codecs stay package-private
 * there; this is the one way in. Not API.
 */
public final class CodecAccess {
  private static volatile Lender lender;

  private CodecAccess() {}

  /** What the codec package implements. */
  public interface Lender {
    /** {@code codec} bound for a router; see {@link CodecAccess#bind}. */
    HeaderCodec bind(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader,
        String shadowHeader, MeshHosts meshHosts, Consumer<String> egressBlocked);

    /** Reads the flags of a bound codec's routes; see {@link CodecAccess#extract}. */
    <C> void extract(HeaderCodec bound, C carrier, HeaderGetter<C> getter, ExtractSink sink);

    /** The override header of a router's codec, or the default for any other codec. */
    String overrideHeader(HeaderCodec codec);

    /** The shadow marker header of a router's codec, or the default for any other codec. */
    String shadowHeader(HeaderCodec codec);

    /** See {@link CodecAccess#foreignWriter}. */
    HeaderCodec foreignWriter(HeaderCodec bound, String headerName, String value);
  }

  /** Called once, by the codec package. */
  public static void lend(Lender access) {
    if (lender != null) {
      throw new IllegalStateException("codec access is already lent");
    }
    lender = access;
  }

  /**
   * {@code codec} bound to {@code routes} and {@code limits} for a router that reads override
   * tokens from {@code overrideHeader} and the shadow marker from {@code shadowHeader} (both
   * lowercase), stamping only calls to {@code meshHosts} and telling {@code egressBlocked} the host
   * of each call it refuses: the codec {@code FlagRouter.codec()} returns.
   */
  public static HeaderCodec bind(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader,
      String shadowHeader, MeshHosts meshHosts, Consumer<String> egressBlocked) {
    return lender().bind(codec, routes, limits, overrideHeader, shadowHeader, meshHosts, egressBlocked);
  }

  /**
   * Reads the flags of {@code bound}'s routes from {@code carrier}, reporting each value and each
   * drop to {@code sink}. Never throws on any header content; bounded by the limits.
   *
   * @throws IllegalArgumentException if {@code bound} was not made by {@link #bind}
   */
  public static <C> void extract(HeaderCodec bound, C carrier, HeaderGetter<C> getter, ExtractSink sink) {
    lender().extract(bound, carrier, getter, sink);
  }

  /** The override header of a router's codec ({@code FlagRouter.codec()}), or the default. */
  public static String overrideHeader(HeaderCodec codec) {
    return lender().overrideHeader(codec);
  }

  /** The shadow marker header of a router's codec ({@code FlagRouter.codec()}), or the default. */
  public static String shadowHeader(HeaderCodec codec) {
    return lender().shadowHeader(codec);
  }

  /**
   * The codec (with its default names) that writes inbound header {@code headerName} (any case)
   * when the router whose codec is {@code bound} does not, or null: how a relay recognises flags
   * sent in another codec. {@code value} is the header's value, needed for {@code baggage} only.
   */
  public static HeaderCodec foreignWriter(HeaderCodec bound, String headerName, String value) {
    return lender().foreignWriter(bound, headerName, value);
  }

  private static Lender lender() {
    Lender access = lender;
    if (access == null) {
      HeaderCodec.perFlag(); // initializes the codecs, which lend their access
      access = lender;
    }
    return access;
  }
}
