package dev.flagroute.grpc;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.Objects;
import java.util.Set;

/**
 * Stamps the current {@link FlagContext} ({@link GrpcFlagContext#current()}: flagroute's scope
 * first, then {@link io.grpc.Context}) on every outgoing call as ASCII metadata, replacing flag
 * metadata the caller set (W3C baggage members of other owners are kept). The context is taken
 * when the call is created, like gRPC's own context, so calls made on threads that carry either
 * context ({@code FlagExecutors}, {@link io.grpc.Context#wrap}, {@link
 * io.grpc.Context#currentContextExecutor}) carry the flags. Override-token metadata is removed from
 * every call ({@link HeaderCodec#strips}); calls made outside any context otherwise pass untouched.
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

  private FlagClientInterceptor(HeaderCodec codec) {
    this.codec = codec;
  }

  /** An interceptor that stamps with {@code codec}; use the same codec as the router. */
  public static FlagClientInterceptor create(HeaderCodec codec) {
    return new FlagClientInterceptor(Objects.requireNonNull(codec, "codec"));
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions, Channel next) {
    FlagContext flags = GrpcFlagContext.current();
    return new SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> responseListener, Metadata headers) {
        stamp(flags, headers);
        super.start(responseListener, headers);
      }
    };
  }

  /** Removes the override token and, with flags, the caller's flag metadata, then writes the flags. */
  private void stamp(FlagContext flags, Metadata headers) {
    Metadata stamped = new Metadata();
    if (!flags.isEmpty()) {
      codec.inject(flags, stamped, new MetadataHeaders.Stamp(headers));
    }
    for (String name : Set.copyOf(headers.keys())) {
      if (codec.strips(name) && (!flags.isEmpty() || !codec.owns(name))) {
        MetadataHeaders.discardAll(headers, name);
      }
    }
    headers.merge(stamped);
  }
}
