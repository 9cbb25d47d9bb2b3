package dev.flagroute.codec;

import dev.flagroute.internal.AsciiNames;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.WireNames;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;

/**
 * How flags travel in headers: one header per flag, one combined header, or W3C baggage members.
 * The router reads with it, outbound helpers write with it, and the mesh generator matches with
 * it, so all three agree. Obtain one from the static factories. The interface is sealed: flagroute
 * implements it itself, so that the mesh rules it generates match what its routers read.
 *
 * <p>A router binds its codec to its routes and limits ({@code FlagRouter.codec()} returns the
 * bound codec): use that one for outbound stamping, which then needs no lookup per flag. Reading
 * inbound headers is the router's job ({@code FlagRouter.route}): it is total, bounded by
 * {@link HeaderLimits}, and reports what it cannot use as a {@link DropReason}.
 */
public sealed interface HeaderCodec permits PerFlagHeaderCodec, MemberListCodec, BoundCodec {
  /** One header per flag: {@code x-flag-<key>: <variant>}. The default. */
  static HeaderCodec perFlag() {
    return PerFlagHeaderCodec.DEFAULT;
  }

  /** One header per flag: {@code <prefix><key>: <variant>}; the prefix is lowercased. */
  static HeaderCodec perFlag(String prefix) {
    return new PerFlagHeaderCodec(prefix);
  }

  /**
   * One combined header: {@code x-flags: checkout=v2,search=on}. Read exactly as the generated
   * mesh pattern matches it: keys as declared (case-sensitive), values as written up to a
   * {@code ';'}, spaces and tabs around them ignored, and the first member of a flag counting.
   */
  static HeaderCodec combined() {
    return CombinedHeaderCodec.DEFAULT;
  }

  /** One combined header with the given name. */
  static HeaderCodec combined(String headerName) {
    return new CombinedHeaderCodec(headerName);
  }

  /**
   * W3C {@code baggage} members {@code flag.<key>=<variant>}. A write keeps the members of other
   * owners that are legal W3C baggage (at most 64 of them and 8192 chars) and drops whatever else
   * the existing value holds, so it never writes an illegal header value (no CR, LF or other
   * control characters, quotes or non-ASCII text). Read like {@link #combined()}: member keys as
   * declared, values as written (never percent-decoded), the first member of a flag counting.
   */
  static HeaderCodec baggage() {
    return BaggageHeaderCodec.DEFAULT;
  }

  /** W3C {@code baggage} members {@code <memberPrefix><key>=<variant>}. */
  static HeaderCodec baggage(String memberPrefix) {
    return new BaggageHeaderCodec(memberPrefix);
  }

  /**
   * Writes every decision of {@code context} to {@code carrier}, replacing earlier values: its
   * routed flags, variants its routes do not list included, then the flags it carries without
   * routing them ({@link FlagContext#carried()}), each unchanged.
   */
  <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter);

  /** Whether this codec writes flags into header {@code name} (any case). */
  boolean owns(String headerName);

  /**
   * Whether outbound stamping removes header {@code headerName} (any case) from the calls it
   * stamps: the headers this codec {@link #owns} (replaced by the current flags, on calls made in
   * a context) and the header carrying override tokens, removed from every call, in a context or
   * not, since a token is a bearer token that must not travel past the edge it was sent to. That is
   * {@code OverrideTokens.DEFAULT_HEADER}, and for the codec of a router ({@code FlagRouter.codec()})
   * also the router's configured override header.
   */
  default boolean strips(String headerName) {
    return owns(headerName) || AsciiNames.same(WireNames.OVERRIDE_HEADER, headerName);
  }

  /**
   * What is left of header {@code headerName}'s {@code value} once flags, tokens and markers are
   * taken out, for a call that must carry none ({@link #allowsEgress}): {@code null} when the
   * header goes (every header this codec {@link #strips}, and every codec's flag headers under
   * their default names, {@code x-flag-*} and {@code x-flags}), the members of other owners of a
   * W3C {@code baggage} header, and {@code value} itself for any other header.
   */
  default String withoutFlags(String headerName, String value) {
    return strips(headerName) ? null : DefaultFlagHeaders.without(headerName, value);
  }

  /**
   * The hosts outbound calls stamped with this codec may carry flags to:
   * {@link MeshHosts#kubernetes()}, or what the router was configured with for its codec
   * ({@code FlagRouter.Builder.meshHosts}).
   */
  default MeshHosts meshHosts() {
    return MeshHosts.kubernetes();
  }

  /**
   * Whether an outbound call to {@code host} (as in its URL) may carry flags: {@link #meshHosts()}
   * allows it. Every stamping path asks once for each call that has flags to carry (a context) or
   * carries flags, tokens or markers the application set; on {@code false} it stamps nothing and
   * takes all of those out ({@link #withoutFlags}). A router's codec reports each refusal to the
   * router's listener ({@code RoutingListener.egressBlocked}) and logs it at debug, with one WARN a
   * minute; calls with nothing to withhold are not asked about, so they are never reported.
   */
  default boolean allowsEgress(String host) {
    return meshHosts().allows(host);
  }

  /** {@link #allowsEgress} for an authority ({@code host:port}), such as a gRPC channel's. */
  default boolean allowsEgressAuthority(String authority) {
    return meshHosts().allowsAuthority(authority);
  }

  /** The header names this codec reads and writes for {@code routes}, lowercase. */
  List<String> headerNames(FlagRoutes routes);

  /** How a mesh rule matches a request carrying {@code variant} of {@code route}. */
  HeaderMatch match(FlagRoute route, String variant);
}
