package dev.flagroute.grpc;

import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import dev.openfeature.sdk.EvaluationContext;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server call that reports how it ended to the router, once: when the server closes it (failed by
 * core's rule, {@link RequestOutcome#grpcServerFault}: UNKNOWN, INTERNAL, UNAVAILABLE, and
 * DEADLINE_EXCEEDED unless the client's deadline had passed) or when the client cancels it first
 * (never failed: the client gave up). The user is the call's targeting key, or the peer's address.
 */
final class OutcomeCall<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
  private static final Logger log = LoggerFactory.getLogger(OutcomeCall.class);

  private final FlagRouter router;
  private final FlagContext flags;
  private final String targetingKey;
  private final Deadline clientDeadline;
  private final long startNanos = System.nanoTime();
  private final AtomicBoolean reported = new AtomicBoolean();

  /**
   * {@code evaluation}: the call's evaluation context, whose targeting key is the user;
   * {@code clientDeadline}: the deadline the client gave the call, or null.
   */
  OutcomeCall(ServerCall<ReqT, RespT> delegate, FlagRouter router, FlagContext flags, EvaluationContext evaluation,
      Deadline clientDeadline) {
    super(delegate);
    this.router = router;
    this.flags = flags;
    this.targetingKey = evaluation.getTargetingKey();
    this.clientDeadline = clientDeadline;
  }

  /**
   * The user the guard counts for {@code call}: its targeting key, or the peer's IP address; taken
   * when the outcome is reported, not per call started.
   */
  static String user(ServerCall<?, ?> call, String targetingKey) {
    if (targetingKey != null && !targetingKey.isEmpty()) {
      return RequestOutcome.user(targetingKey, null);
    }
    String client = null;
    try {
      SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      if (peer instanceof InetSocketAddress address) {
        client = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
      }
    } catch (RuntimeException e) {
      log.debug("could not read the call's peer address", e);
    }
    return RequestOutcome.user(targetingKey, client);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    try {
      super.close(status, trailers);
    } finally {
      report(RequestOutcome.grpcServerFault(status.getCode().value(),
          clientDeadline != null && clientDeadline.isExpired()));
    }
  }

  /** {@code listener}, reporting a cancelled call, not as failed: the client gave up on it. */
  ServerCall.Listener<ReqT> reportingCancel(ServerCall.Listener<ReqT> listener) {
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          report(false);
        }
      }
    };
  }

  private void report(boolean failed) {
    if (reported.compareAndSet(false, true)) {
      try {
        RequestOutcome outcome = RequestOutcome.since(startNanos, failed);
        router.completed(flags, new RequestOutcome(outcome.failed(), outcome.latency(), user(this, targetingKey)));
      } catch (RuntimeException e) {
        log.debug("could not report the call's outcome", e);
      }
    }
  }
}
