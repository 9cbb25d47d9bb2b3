package dev.flagroute.grpc;

import dev.flagroute.context.FlagContext;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw server handler (no stub in between) that records, in {@code startCall} and every listener
 * callback, the flags current in flagroute's scope and in {@link io.grpc.Context}. Streaming
 * responses echo them per message; unary and client-streaming calls reply once on half-close.
 */
final class RecordingHandler implements ServerCallHandler<String, String> {
  /** One callback and what it saw. */
  record Event(String name, Map<String, String> scoped, Map<String, String> grpc) {}

  private final MethodType type;
  private final Queue<Event> events = new ConcurrentLinkedQueue<>();
  private final CountDownLatch firstMessage = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);

  RecordingHandler(MethodType type) {
    this.type = type;
  }

  ServerServiceDefinition service() {
    return ServerServiceDefinition.builder(GrpcTestKit.SERVICE).addMethod(GrpcTestKit.method(type), this).build();
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  /** Waits (bounded) for the first message to arrive. */
  void awaitFirstMessage() throws InterruptedException {
    if (!firstMessage.await(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("no message reached the server");
    }
  }

  /** Waits (bounded) for onComplete or onCancel. */
  void awaitDone() throws InterruptedException {
    if (!done.await(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("server call never completed; events: " + events);
    }
  }

  /** The variants of the current flags as the handler reports them: flagroute's scope. */
  static String seen() {
    return FlagContext.current().variants().toString();
  }

  private String record(String name) {
    events.add(new Event(name, FlagContext.current().variants(), GrpcFlagContext.from(Context.current()).variants()));
    return seen();
  }

  @Override
  public ServerCall.Listener<String> startCall(ServerCall<String, String> call, Metadata headers) {
    record("startCall");
    call.request(Integer.MAX_VALUE);
    call.sendHeaders(new Metadata());
    boolean streamsReplies = type == MethodType.SERVER_STREAMING || type == MethodType.BIDI_STREAMING;
    return new ServerCall.Listener<>() {
      @Override
      public void onMessage(String message) {
        String seen = record("onMessage");
        firstMessage.countDown();
        if (streamsReplies) {
          call.sendMessage(message + " " + seen);
        }
      }

      @Override
      public void onHalfClose() {
        String seen = record("onHalfClose");
        if (!streamsReplies) {
          call.sendMessage("halfClose " + seen);
        }
        call.close(Status.OK, new Metadata());
      }

      @Override
      public void onCancel() {
        record("onCancel");
        done.countDown();
      }

      @Override
      public void onComplete() {
        record("onComplete");
        done.countDown();
      }

      @Override
      public void onReady() {
        record("onReady");
      }
    };
  }
}
