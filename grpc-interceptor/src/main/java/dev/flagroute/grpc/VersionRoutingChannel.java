package dev.flagroute.grpc;

import dev.flagroute.context.FlagContext;
import dev.flagroute.direct.VersionAddresses.Address;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.direct.VersionTarget;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A gRPC {@link Channel} to one service that routes without a mesh: each call goes over the
 * channel of the version its flags route to, one {@link ManagedChannel} per version, made on first
 * use by {@code channelFactory} from the version's address ({@code reviews-v2:9090} by the default
 * naming rule). Closing it shuts those channels down.
 *
 * <p>A call whose version has no instance (it closes UNAVAILABLE before any response, caused by a
 * name that did not resolve or a refused connection; see {@link VersionRouting}) is made once more
 * over the stable version's channel, and the fallback is counted. To replay it, the call keeps
 * what it sent until the first response arrives, at most {@value #MAX_REPLAYED_MESSAGES} messages;
 * a longer client stream fails as it did instead.
 *
 * <pre>{@code
 * VersionRoutingChannel ratings = VersionRoutingChannel.of("ratings", 9090, routing,
 *     address -> ManagedChannelBuilder.forAddress(address.host(), address.port()).usePlaintext().build());
 * Channel stamped = ClientInterceptors.intercept(ratings, FlagClientInterceptor.create(router.codec()));
 * }</pre>
 *
 * <p>The flags are the context current on the thread that starts the call.
 */
public final class VersionRoutingChannel extends Channel implements AutoCloseable {
  /** The most messages a call keeps for replaying it on the stable version. */
  public static final int MAX_REPLAYED_MESSAGES = 64;

  private final String service;
  private final int port;
  private final VersionRouting routing;
  private final Function<Address, ManagedChannel> channelFactory;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  private VersionRoutingChannel(String service, int port, VersionRouting routing,
      Function<Address, ManagedChannel> channelFactory) {
    this.service = Objects.requireNonNull(service, "service");
    this.port = port;
    this.routing = Objects.requireNonNull(routing, "routing");
    this.channelFactory = Objects.requireNonNull(channelFactory, "channelFactory");
  }

  /**
   * Routes calls to {@code service}, a service the routes steer, whose versions listen on
   * {@code port} unless their address is pinned to another.
   *
   * @throws IllegalArgumentException if no flag steers {@code service}
   */
  public static VersionRoutingChannel of(String service, int port, VersionRouting routing,
      Function<Address, ManagedChannel> channelFactory) {
    if (routing.target(service, FlagContext.empty()).isEmpty()) {
      throw new IllegalArgumentException("no flag steers service '" + service + "'; nothing to route");
    }
    return new VersionRoutingChannel(service, port, routing, channelFactory);
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return new ReplayableCall<>(method, options);
  }

  @Override
  public String authority() {
    return service;
  }

  @Override
  public void close() throws InterruptedException {
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      if (!channel.awaitTermination(30, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
  }

  private Channel channel(VersionTarget target) {
    return channels.computeIfAbsent(target.version(), version -> channelFactory.apply(
        new Address(target.address().host(), target.address().port(port))));
  }

  /** A call that goes to its version, and once more to the stable version if that had no instance. */
  private final class ReplayableCall<Q, R> extends ClientCall<Q, R> {
    private final MethodDescriptor<Q, R> method;
    private final CallOptions options;
    private final Replay<Q> replay = new Replay<>(MAX_REPLAYED_MESSAGES);
    private ClientCall<Q, R> delegate;
    private VersionTarget target;

    ReplayableCall(MethodDescriptor<Q, R> method, CallOptions options) {
      this.method = method;
      this.options = options;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      target = routing.target(service, GrpcFlagContext.current()).orElseThrow();
      synchronized (replay) {
        replay.start(headers);
        delegate = channel(target).newCall(method, options);
        delegate.start(new FallbackListener(listener), headers);
      }
    }

    @Override
    public void request(int count) {
      synchronized (replay) {
        replay.request(count);
        delegate.request(count);
      }
    }

    @Override
    public void sendMessage(Q message) {
      synchronized (replay) {
        replay.message(message);
        delegate.sendMessage(message);
      }
    }

    @Override
    public void halfClose() {
      synchronized (replay) {
        replay.halfClose();
        delegate.halfClose();
      }
    }

    @Override
    public void cancel(String message, Throwable cause) {
      synchronized (replay) {
        replay.stop();
        if (delegate != null) {
          delegate.cancel(message, cause);
        }
      }
    }

    @Override
    public boolean isReady() {
      synchronized (replay) {
        return delegate != null && delegate.isReady();
      }
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      synchronized (replay) {
        delegate.setMessageCompression(enabled);
      }
    }

    /** Hands everything to the application's listener, unless the call falls back first. */
    private final class FallbackListener extends Listener<R> {
      private final Listener<R> listener;

      FallbackListener(Listener<R> listener) {
        this.listener = listener;
      }

      @Override
      public void onHeaders(Metadata headers) {
        synchronized (replay) {
          replay.stop();
        }
        listener.onHeaders(headers);
      }

      @Override
      public void onMessage(R message) {
        listener.onMessage(message);
      }

      @Override
      public void onReady() {
        listener.onReady();
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        synchronized (replay) {
          if (status.getCode() == Status.Code.UNAVAILABLE && replay.isReplayable() && !target.isStable()
              && VersionRouting.isNoInstance(status.getCause())) {
            VersionTarget stable = routing.fallBack(target, status.getCause());
            target = stable;
            delegate = channel(stable).newCall(method, options);
            replay.replayOnto(delegate, listener);
            return;
          }
          replay.stop();
        }
        listener.onClose(status, trailers);
      }
    }
  }
}
