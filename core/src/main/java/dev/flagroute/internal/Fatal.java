package dev.flagroute.internal;

/**
 * The throwables flagroute lets through where it otherwise turns every failure into default
 * variants: {@link OutOfMemoryError}, after which no code can be relied on to make progress, so
 * hiding it behind a default would keep a failing process serving; and {@link ThreadDeath}, which
 * asks the thread to die. Every other {@code Error} a provider, listener or callback throws
 * ({@code StackOverflowError} from a recursive rule, {@code InternalError}, {@code AssertionError},
 * {@code LinkageError}, ...) is its own failure: the stack has unwound by the time it is caught,
 * and routing carries on without it. Not API.
 */
public final class Fatal {
  private Fatal() {}

  /** Rethrows {@code thrown} if it is one flagroute lets through; returns otherwise. */
  public static void rethrowIfFatal(Throwable thrown) {
    if (thrown instanceof OutOfMemoryError error) {
      throw error;
    }
    if (thrown instanceof ThreadDeath death) {
      throw death;
    }
  }
}
