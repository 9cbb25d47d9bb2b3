package dev.flagroute.demo.app;

import dev.flagroute.context.FlagContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The side effects of one service instance (in the demo, recording that a product was viewed):
 * performed for a user's request, skipped for a mirrored copy, whose context
 * {@link FlagContext#isShadow() is a shadow}, and counted either way. Thread-safe.
 */
public final class Writes {
  private final AtomicLong performed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  /**
   * Performs the write of the current request, or skips it when the current {@link FlagContext}
   * is a shadow; true if it was performed.
   */
  public boolean recordView() {
    if (FlagContext.current().isShadow()) {
      skipped.incrementAndGet();
      return false;
    }
    performed.incrementAndGet();
    return true;
  }

  /** How many writes were performed, for users' requests. */
  public long performed() {
    return performed.get();
  }

  /** How many writes were skipped, for mirrored copies. */
  public long skipped() {
    return skipped.get();
  }
}
