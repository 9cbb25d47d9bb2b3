package dev.flagroute.grpc;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts gRPC servers and channels over the in-process transport or Netty on loopback, with a
 * hand-written String marshaller instead of protobuf, and shuts everything down on {@link #close()}.
 */
final class GrpcTestKit {
  /** Where calls travel. */
  enum Transport { IN_PROCESS, NETTY }

  static final String SERVICE = "flagroute.Test";
  static final long TIMEOUT_SECONDS = 60;

  static final MethodDescriptor.Marshaller<String> STRING = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<Server> servers = new ArrayList<>();
  private final List<ExecutorService> executors = new ArrayList<>();
  private final Map<Server, String> inProcessNames = new HashMap<>();

  /** The method of {@code type} on the test service. */
  static MethodDescriptor<String, String> method(MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, type.name()))
        .setRequestMarshaller(STRING)
        .setResponseMarshaller(STRING)
        .build();
  }

  /** An executor with {@code threads} named threads, shut down on close. */
  ExecutorService executor(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    ExecutorService executor = Executors.newFixedThreadPool(threads, factory);
    executors.add(executor);
    return executor;
  }

  /** A started server running callbacks on {@code executor}, every service behind {@code interceptors}. */
  Server server(Transport transport, Executor executor, ServerServiceDefinition service,
      ServerInterceptor... interceptors) throws IOException {
    ServerServiceDefinition intercepted = ServerInterceptors.intercept(service, interceptors);
    Server server;
    if (transport == Transport.IN_PROCESS) {
      String name = InProcessServerBuilder.generateName();
      server = InProcessServerBuilder.forName(name).executor(executor).addService(intercepted).build().start();
      inProcessNames.put(server, name);
    } else {
      server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .executor(executor).addService(intercepted).build().start();
    }
    servers.add(server);
    return server;
  }

  /** A channel to {@code server} through {@code interceptors}. */
  ManagedChannel channel(Transport transport, Server server, ClientInterceptor... interceptors) {
    ManagedChannel channel = transport == Transport.IN_PROCESS
        ? InProcessChannelBuilder.forName(inProcessNames.get(server)).intercept(interceptors).build()
        : NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()))
            .usePlaintext().intercept(interceptors).build();
    channels.add(channel);
    return channel;
  }

  /** The outcome of one call. */
  record Result(Status status, List<String> replies) {}

  /**
   * Makes one call of any type: sends {@code headers} and {@code messages}, half-closes, and waits
   * (bounded) for the status and every reply.
   */
  static Result call(Channel channel, MethodDescriptor<String, String> method, Metadata headers,
      List<String> messages) throws Exception {
    ClientCall<String, String> call = channel.newCall(method,
        CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    Queue<String> replies = new ConcurrentLinkedQueue<>();
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(String message) {
        replies.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, headers);
    call.request(Integer.MAX_VALUE);
    messages.forEach(call::sendMessage);
    call.halfClose();
    Status status = closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return new Result(status, List.copyOf(replies));
  }

  /** Makes a unary call and returns its reply, failing on any status but OK. */
  static String unary(Channel channel, Metadata headers, String message) throws Exception {
    Result result = call(channel, method(MethodType.UNARY), headers, List.of(message));
    if (!result.status().isOk()) {
      throw result.status().asException();
    }
    return result.replies().get(0);
  }

  /** Shuts every channel, server and executor down, waiting (bounded) for each. */
  void close() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    for (Server server : servers) {
      server.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    executors.forEach(ExecutorService::shutdownNow);
    for (ExecutorService executor : executors) {
      executor.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** A unary service on {@link #SERVICE} whose handler's return value is the reply. */
  static ServerServiceDefinition unaryService(UnaryHandler handler) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(method(MethodType.UNARY), ServerCalls.asyncUnaryCall((String request, StreamObserver<String> reply) -> {
          try {
            reply.onNext(handler.handle(request));
            reply.onCompleted();
          } catch (Exception e) {
            reply.onError(e);
          }
        }))
        .build();
  }

  /** A server interceptor that keeps, in {@code into}, the metadata of the last call it saw. */
  static ServerInterceptor capturing(AtomicReference<Metadata> into) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
          ServerCallHandler<ReqT, RespT> next) {
        into.set(headers);
        return next.startCall(call, headers);
      }
    };
  }

  /** The body of a unary test method. */
  @FunctionalInterface
  interface UnaryHandler {
    String handle(String request) throws Exception;
  }
}
