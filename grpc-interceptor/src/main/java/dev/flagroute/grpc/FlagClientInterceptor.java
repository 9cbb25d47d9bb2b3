package dev.flagroute.grpc;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.WireNames;
import dev.flagroute.internal.inbound.InboundView;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Stamps the current {@link FlagContext} ({@link GrpcFlagContext#current()}: flagroute's scope
 * first, then {@link io.grpc.Context}) on every outgoing call as ASCII metadata, replacing flag
 * metadata the caller set (W3C baggage members of other owners are kept). The context is taken
 * when the call is created, like gRPC's own context, so calls made on threads that carry either
 * context ({@code FlagExecutors}, {@link io.grpc.Context#wrap}, {@link
 * io.grpc.Context#currentContextExecutor}) carry the flags. Override-token metadata is removed from
 * every call ({@link HeaderCodec#strips}), in its ASCII and {@code -bin} forms; calls made outside
 * any context otherwise pass untouched. Calls on a channel (or with a call authority) outside the
 * mesh ({@link HeaderCodec#allowsEgressAuthority}) carry no flags, tokens or markers at all.
 *
 * <p>gRPC starts the interceptor listed first last: list this one first in {@code intercept(...)}
 * so that it replaces flag metadata other interceptors add.
 *
 * <pre>{@code
 * ManagedChannel channel = ManagedChannelBuilder.forTarget("reviews:8443")
 *     .intercept(FlagClientInterceptor.create(router.codec()))
 *     .build();
 * }</pre>
 */
public final class FlagClientInterceptor implements ClientInterceptor {
  private final HeaderCodec codec;
  /** Tells which keys may carry flags, tokens or markers, so that no other value is decoded. */
  private final InboundView flagKeys;

  private FlagClientInterceptor(HeaderCodec codec) {
    this.codec = codec;
    this.flagKeys = InboundView.of(codec);
  }

  /** An interceptor that stamps with {@code codec}; use the same codec as the router. */
  public static FlagClientInterceptor create(HeaderCodec codec) {
    return new FlagClientInterceptor(Objects.requireNonNull(codec, "codec"));
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions, Channel next) {
    FlagContext flags = GrpcFlagContext.current();
    String authority = callOptions.getAuthority() != null ? callOptions.getAuthority() : next.authority();
    return new SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> responseListener, Metadata headers) {
        super.start(responseListener, stamp(flags, authority, headers));
      }
    };
  }

  /**
   * Removes the override token and, with flags, the caller's flag metadata (ASCII and {@code -bin}
   * forms), then writes the flags; for an authority outside the mesh, removes every flag, token and
   * marker and writes nothing.
   */
  private Metadata stamp(FlagContext flags, String authority, Metadata headers) {
    Set<String> names = headers.keys();
    Set<String> outside = withoutFlags(headers, names);
    if ((!flags.hasNothingToStamp() || !outside.isEmpty()) && !codec.allowsEgressAuthority(authority)) {
      return rewritten(headers, names, outside);
    }
    Metadata stamped = new Metadata();
    if (!flags.hasNothingToStamp()) {
      codec.inject(flags, stamped, new MetadataHeaders.Stamp(headers));
    }
    Set<String> remove = new HashSet<>();
    for (String name : names) {
      String base = name.endsWith(Metadata.BINARY_HEADER_SUFFIX) ? MetadataHeaders.baseName(name) : name;
      if (codec.strips(base) && (!flags.hasNothingToStamp() || !codec.owns(base) || !base.equals(name))) {
        remove.add(name);
      }
    }
    Metadata rest = MetadataHeaders.without(headers, names, remove);
    rest.merge(stamped);
    return rest;
  }

  /** The keys of {@code headers} that carry flags, tokens or markers ({@link HeaderCodec#withoutFlags}). */
  private Set<String> withoutFlags(Metadata headers, Set<String> names) {
    Set<String> found = new HashSet<>();
    for (String name : names) {
      boolean binary = name.endsWith(Metadata.BINARY_HEADER_SUFFIX);
      String base = binary ? MetadataHeaders.baseName(name) : name;
      if (!mayCarryFlags(base)) {
        continue; // no flag, token or marker can be under this key: its value is kept unread
      }
      String value = binary ? MetadataHeaders.binaryText(headers, name) : MetadataHeaders.joined(headers,
          MetadataHeaders.asciiKey(name));
      if (value != null && !value.equals(codec.withoutFlags(base, value))) {
        found.add(name);
      }
    }
    return found;
  }

  /**
   * Whether {@link HeaderCodec#withoutFlags} could change a value of key {@code base}: every key the
   * codec strips, any codec's flag keys ({@code x-flag-} and on), {@code x-flags} and {@code baggage}.
   */
  private boolean mayCarryFlags(String base) {
    return codec.strips(base) || flagKeys.treatment(base) != InboundView.Treatment.KEEP
        || base.regionMatches(true, 0, WireNames.PER_FLAG_PREFIX, 0, WireNames.PER_FLAG_PREFIX.length());
  }

  /** {@code headers} with the flags, tokens and markers of keys {@code changed} taken out. */
  private Metadata rewritten(Metadata headers, Set<String> names, Set<String> changed) {
    Metadata kept = new Metadata();
    for (String name : changed) {
      boolean binary = name.endsWith(Metadata.BINARY_HEADER_SUFFIX);
      String rest = binary
          ? codec.withoutFlags(MetadataHeaders.baseName(name), MetadataHeaders.binaryText(headers, name))
          : codec.withoutFlags(name, MetadataHeaders.joined(headers, MetadataHeaders.asciiKey(name)));
      if (rest != null && binary) {
        kept.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), rest.getBytes(StandardCharsets.US_ASCII));
      } else if (rest != null) {
        kept.put(MetadataHeaders.asciiKey(name), rest);
      }
    }
    Metadata rest = MetadataHeaders.without(headers, names, changed);
    rest.merge(kept);
    return rest;
  }
}
