package dev.flagroute.spring.it;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** A downstream service that answers with the {@code x-flag-checkout} header it received, or {@code none}. */
final class EchoDispatcher extends Dispatcher {
  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String stamped = request.getHeaders().get("x-flag-checkout");
    return new MockResponse.Builder().code(200).body(stamped == null ? "none" : stamped).build();
  }
}
