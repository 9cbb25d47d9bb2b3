package dev.flagroute.context;

/**
 * A {@link FlagContext} made current on this thread; closing it restores whatever was current
 * before. Use with try-with-resources, on the thread that opened it.
 *
 * <pre>{@code
 * try (FlagScope scope = context.makeCurrent()) {
 *   // FlagContext.current() == context
 * }
 * }</pre>
 */
@FunctionalInterface
public interface FlagScope extends AutoCloseable {
  /** Restores the context that was current when this scope was opened. Idempotent. */
  @Override
  void close();
}
