package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.observe.RoutingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports dropped inbound headers to the listener and the debug log. */
final class Drops {
  private static final Logger log = LoggerFactory.getLogger(Drops.class);

  private final RoutingListener listener;

  Drops(RoutingListener listener) {
    this.listener = listener;
  }

  void drop(String header, DropReason reason) {
    log.debug("dropped inbound flag header {}: {}", header, reason);
    try {
      listener.headerDropped(header, reason);
    } catch (RuntimeException e) {
      log.debug("routing listener failed on headerDropped", e);
    }
  }
}
