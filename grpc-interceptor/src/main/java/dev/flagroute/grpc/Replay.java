package dev.flagroute.grpc;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client call has sent so far, bounded, so that it can be sent again to another channel.
 * Not thread-safe: its owner locks on it.
 */
final class Replay<Q> {
  private final int maxMessages;
  private final List<Q> messages = new ArrayList<>();
  private Metadata headers;
  private int requested;
  private boolean halfClosed;
  private boolean replayable = true;

  Replay(int maxMessages) {
    this.maxMessages = maxMessages;
  }

  void start(Metadata sent) {
    headers = new Metadata();
    headers.merge(sent);
  }

  void request(int count) {
    requested += count;
  }

  void message(Q message) {
    if (messages.size() >= maxMessages) {
      stop();
    } else if (replayable) {
      messages.add(message);
    }
  }

  void halfClose() {
    halfClosed = true;
  }

  /** No replay from now on: a response arrived, the call ended or sent too much. */
  void stop() {
    replayable = false;
    messages.clear();
  }

  boolean isReplayable() {
    return replayable;
  }

  /** Starts {@code call} with everything sent so far, answering {@code listener}; no further replay. */
  <R> void replayOnto(ClientCall<Q, R> call, ClientCall.Listener<R> listener) {
    replayable = false;
    call.start(listener, headers);
    if (requested > 0) {
      call.request(requested);
    }
    messages.forEach(call::sendMessage);
    messages.clear();
    if (halfClosed) {
      call.halfClose();
    }
  }
}
