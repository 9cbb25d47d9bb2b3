package dev.flagroute.grpc;

import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server call that reports how it ended to the router, once: when the server closes it (failed
 * unless the status is OK) or when it is cancelled first (failed).
 */
final class OutcomeCall<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
  private static final Logger log = LoggerFactory.getLogger(OutcomeCall.class);

  private final FlagRouter router;
  private final FlagContext flags;
  private final long startNanos = System.nanoTime();
  private final AtomicBoolean reported = new AtomicBoolean();

  OutcomeCall(ServerCall<ReqT, RespT> delegate, FlagRouter router, FlagContext flags) {
    super(delegate);
    this.router = router;
    this.flags = flags;
  }

  @Override
  public void close(Status status, Metadata trailers) {
    try {
      super.close(status, trailers);
    } finally {
      report(!status.isOk());
    }
  }

  /** {@code listener}, reporting a cancelled call as failed. */
  ServerCall.Listener<ReqT> reportingCancel(ServerCall.Listener<ReqT> listener) {
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          report(true);
        }
      }
    };
  }

  private void report(boolean failed) {
    if (reported.compareAndSet(false, true)) {
      try {
        router.completed(flags, RequestOutcome.since(startNanos, failed));
      } catch (RuntimeException e) {
        log.debug("could not report the call's outcome", e);
      }
    }
  }
}
