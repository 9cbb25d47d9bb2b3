package dev.flagroute.demo.mesh;

import dev.flagroute.mesh.MeshRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Map;
import java.util.Optional;

/**
 * The gRPC side of the {@link LocalMesh}: client-side routing. Each call is routed when it starts,
 * on its path and its outgoing metadata (where flagroute's client interceptor has stamped the
 * flags), and sent over the channel of the chosen instance. With no route the call fails with
 * UNAVAILABLE, as through a mesh without a matching rule. Calls are not mirrored: the demo's
 * routes mirror a reviews variant only, and {@link MeshProxy} copies those HTTP requests.
 */
public final class MeshChannel extends Channel {
  private final String service;
  private final LocalMesh mesh;
  private final Map<Workload, ManagedChannel> channels;

  /** Routes calls to {@code service} over {@code channels}, one per instance. */
  public MeshChannel(String service, LocalMesh mesh, Map<Workload, ManagedChannel> channels) {
    this.service = service;
    this.mesh = mesh;
    this.channels = Map.copyOf(channels);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return new RoutedCall<>(method, options);
  }

  @Override
  public String authority() {
    return service;
  }

  /** A call that picks its instance in {@link #start}, then forwards everything to it. */
  private final class RoutedCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
    private final MethodDescriptor<ReqT, RespT> method;
    private final CallOptions options;
    private ClientCall<ReqT, RespT> delegate;
    private boolean cancelled;

    RoutedCall(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
      this.method = method;
      this.options = options;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
      if (cancelled) {
        listener.onClose(Status.CANCELLED.withDescription("cancelled before start"), new Metadata());
        return;
      }
      MeshRequest.Builder seen = MeshRequest.builder()
          .method("POST")
          .path("/" + method.getFullMethodName())
          .header("content-type", "application/grpc");
      for (String key : headers.keys()) {
        if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          Iterable<String> values = headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
          if (values != null) {
            values.forEach(value -> seen.header(key, value));
          }
        }
      }
      Optional<ManagedChannel> channel = mesh.route(service, seen.build(), channels.keySet()).map(channels::get);
      if (channel.isEmpty()) {
        listener.onClose(Status.UNAVAILABLE.withDescription("no mesh route to a running " + service + " instance"),
            new Metadata());
        return;
      }
      delegate = channel.get().newCall(method, options);
      delegate.start(listener, headers);
    }

    @Override
    public void request(int numMessages) {
      if (delegate != null) {
        delegate.request(numMessages);
      }
    }

    @Override
    public void cancel(String message, Throwable cause) {
      cancelled = true;
      if (delegate != null) {
        delegate.cancel(message, cause);
      }
    }

    @Override
    public void halfClose() {
      if (delegate != null) {
        delegate.halfClose();
      }
    }

    @Override
    public void sendMessage(ReqT message) {
      if (delegate != null) {
        delegate.sendMessage(message);
      }
    }

    @Override
    public boolean isReady() {
      return delegate != null && delegate.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      if (delegate != null) {
        delegate.setMessageCompression(enabled);
      }
    }
  }
}
