package dev.flagroute.codec;

import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;

/**
 * How a {@link FlagContext} is written into headers and read back. The router reads with it, the
 * outbound helpers write with it and the mesh generator matches with it, so all three agree.
 *
 * <p>Reading is total: any input, however malformed or large, is read in bounded time and memory,
 * and what cannot be used is reported to the {@link ExtractSink} as dropped, never thrown.
 */
public interface HeaderCodec {
  /** One header per flag: {@code x-flag-<key>: <variant>}. The default. */
  static HeaderCodec perFlag() {
    return PerFlagHeaderCodec.DEFAULT;
  }

  /** One header per flag: {@code <prefix><key>: <variant>}; the prefix is lowercased. */
  static HeaderCodec perFlag(String prefix) {
    return new PerFlagHeaderCodec(prefix);
  }

  /** One combined header: {@code x-flags: checkout=v2,search=on}. */
  static HeaderCodec combined() {
    return CombinedHeaderCodec.DEFAULT;
  }

  /** One combined header with the given name. */
  static HeaderCodec combined(String headerName) {
    return new CombinedHeaderCodec(headerName);
  }

  /** W3C {@code baggage} members {@code flag.<key>=<variant>}, preserving other members on write. */
  static HeaderCodec baggage() {
    return BaggageHeaderCodec.DEFAULT;
  }

  /** W3C {@code baggage} members {@code <memberPrefix><key>=<variant>}. */
  static HeaderCodec baggage(String memberPrefix) {
    return new BaggageHeaderCodec(memberPrefix);
  }

  /**
   * Reads the flags of {@code routes} from {@code carrier}, reporting each value and each drop to
   * {@code sink}. Never throws on any header content.
   */
  <C> void extract(C carrier, HeaderGetter<C> getter, FlagRoutes routes, HeaderLimits limits, ExtractSink sink);

  /** Writes every decision of {@code context} to {@code carrier}, replacing earlier values. */
  <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter);

  /** Whether this codec writes flags into header {@code name} (any case). */
  boolean owns(String headerName);

  /** The header names this codec reads and writes for {@code routes}, lowercase. */
  List<String> headerNames(FlagRoutes routes);

  /** How a mesh rule matches a request carrying {@code variant} of {@code route}. */
  HeaderMatch match(FlagRoute route, String variant);
}
