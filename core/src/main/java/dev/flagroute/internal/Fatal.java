package dev.flagroute.internal;

/**
 * The throwables flagroute lets through where it otherwise turns every failure into default
 * variants: {@link VirtualMachineError} ({@code OutOfMemoryError}, {@code StackOverflowError},
 * {@code InternalError}, {@code UnknownError}), which says the JVM itself cannot go on reliably, so
 * that hiding it behind a default would keep a failing process serving; and {@link ThreadDeath},
 * which asks the thread to die. Every other {@code Error} a provider, listener or callback throws
 * ({@code AssertionError}, {@code LinkageError}, ...) is its own failure and routing carries on
 * without it. Not API.
 */
public final class Fatal {
  private Fatal() {}

  /** Rethrows {@code thrown} if it is one flagroute lets through; returns otherwise. */
  public static void rethrowIfFatal(Throwable thrown) {
    if (thrown instanceof VirtualMachineError error) {
      throw error;
    }
    if (thrown instanceof ThreadDeath death) {
      throw death;
    }
  }
}
