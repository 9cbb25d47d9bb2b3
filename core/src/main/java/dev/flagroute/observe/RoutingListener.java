package dev.flagroute.observe;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;

/**
 * Hears what the router does, for metrics and logs. Every method has a no-op default, so
 * implementations override what they need. Called on the request's thread: keep it fast, never
 * block, never throw (what is thrown is caught and logged at debug).
 */
public interface RoutingListener {
  /** The listener that does nothing. */
  RoutingListener NOOP = new RoutingListener() {};

  /** A request's flags were decided (edge) or read (relay). */
  default void decided(FlagContext context) {}

  /** An inbound flag header, or one flag in it, was dropped. */
  default void headerDropped(String header, DropReason reason) {}
}
