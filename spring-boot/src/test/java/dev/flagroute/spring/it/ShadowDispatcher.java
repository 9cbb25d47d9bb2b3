package dev.flagroute.spring.it;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** A downstream service answering with the shadow marker its request carried, or {@code none}. */
final class ShadowDispatcher extends Dispatcher {
  static final String MARKER = "x-dark";

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String marker = request.getHeaders().get(MARKER);
    return new MockResponse.Builder().code(200).body(marker == null ? "none" : marker).build();
  }
}
