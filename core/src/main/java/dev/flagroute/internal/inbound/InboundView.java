package dev.flagroute.internal.inbound;

import dev.flagroute.internal.AsciiNames;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.BaggageMembers;
import dev.flagroute.internal.WireNames;
import dev.flagroute.internal.access.CodecAccess;
import dev.flagroute.routes.FlagRoutes;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What an application behind a flagroute adapter (the servlet filter, the gRPC server interceptor)
 * sees of a request's inbound headers, and later interceptors and filters with it: the flag headers
 * of the router's codec show the request's decided variants; every other header that any codec
 * could read a flag from ({@code x-flag-*}, {@code x-flags}, the {@code flag.} members of
 * {@code baggage}) is hidden, so is the override token, and the rest is as sent. The shadow marker
 * shows exactly when the request's context is a shadow ({@link FlagContext#isShadow()}), written
 * from the context like the flags, never as sent. Code that copies inbound headers onto outbound
 * calls then copies the decision, never a spoof or a bearer token.
 * The same for edge and relay, headers and trailers. Immutable. Not API.
 */
public final class InboundView {

  /** What becomes of one inbound header. */
  public enum Treatment {
    /** Shown as sent. */
    KEEP,
    /** Not shown. */
    HIDE,
    /**
     * A flag header of the router's codec, or the shadow marker: shown with the decided value, if
     * it has one.
     */
    DECIDED,
    /** {@code baggage} of a router that does not write it: shown without its flag members. */
    BAGGAGE
  }

  private final HeaderCodec codec;
  private final String overrideHeader;
  private final String shadowHeader;

  private InboundView(HeaderCodec codec, String overrideHeader, String shadowHeader) {
    this.codec = codec;
    this.overrideHeader = overrideHeader;
    this.shadowHeader = shadowHeader;
  }

  /** The view behind a router whose codec ({@code FlagRouter.codec()}) is {@code routerCodec}. */
  public static InboundView of(HeaderCodec routerCodec) {
    return new InboundView(routerCodec, CodecAccess.overrideHeader(routerCodec),
        CodecAccess.shadowHeader(routerCodec));
  }

  /** What becomes of inbound header {@code name} (any case). */
  public Treatment treatment(String name) {
    if (codec.owns(name) || AsciiNames.same(name, shadowHeader)) {
      return Treatment.DECIDED;
    }
    if (AsciiNames.same(name, WireNames.BAGGAGE_HEADER)) {
      return Treatment.BAGGAGE;
    }
    boolean flagHeader = name.length() > WireNames.PER_FLAG_PREFIX.length()
        && AsciiNames.startsWith(name, WireNames.PER_FLAG_PREFIX);
    return flagHeader || AsciiNames.same(name, WireNames.COMBINED_HEADER) || AsciiNames.same(name, overrideHeader)
        || AsciiNames.same(name, WireNames.OVERRIDE_HEADER) || AsciiNames.same(name, WireNames.SHADOW_HEADER)
        ? Treatment.HIDE : Treatment.KEEP;
  }

  /**
   * The inbound headers a router over {@code routes} with this view's codec reads values from, by
   * lowercase name: its codec's flag headers, the override header and the shadow marker, and
   * {@code baggage}, which the view shows without flag members.
   */
  public Set<String> readNames(FlagRoutes routes) {
    Set<String> names = new HashSet<>();
    for (String name : codec.headerNames(routes)) {
      names.add(name.toLowerCase(Locale.ROOT));
    }
    names.add(overrideHeader.toLowerCase(Locale.ROOT));
    names.add(shadowHeader.toLowerCase(Locale.ROOT));
    names.add(WireNames.BAGGAGE_HEADER);
    return Set.copyOf(names);
  }

  /**
   * Inbound {@code baggage} as shown: its legal members that are not flags (see
   * {@link BaggageMembers}), or {@code null} if none is left.
   */
  public String baggage(String value) {
    String kept = BaggageMembers.without(value, WireNames.MEMBER_PREFIX, WireNames.MEMBER_PREFIX);
    return kept.isEmpty() ? null : kept;
  }

  /**
   * The router codec's flag headers for {@code flags}, by lowercase name, as the application sees
   * them; {@code inbound} gives an inbound header's value by lowercase name (or null), which the
   * baggage codec merges its members into, without the inbound flag members.
   */
  public Map<String, String> decided(FlagContext flags, UnaryOperator<String> inbound) {
    Map<String, String> headers = new LinkedHashMap<>();
    codec.inject(flags, headers, new HeaderSetter<>() {
      @Override
      public void set(Map<String, String> carrier, String name, String value) {
        carrier.put(name.toLowerCase(Locale.ROOT), value);
      }

      @Override
      public String get(Map<String, String> carrier, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String written = carrier.get(lower);
        return written != null ? written
            : lower.equals(WireNames.BAGGAGE_HEADER) ? baggage(inbound.apply(lower)) : inbound.apply(lower);
      }
    });
    return Collections.unmodifiableMap(headers);
  }
}
