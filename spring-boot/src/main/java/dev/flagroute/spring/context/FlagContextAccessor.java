package dev.flagroute.spring.context;

import dev.flagroute.context.FlagContext;
import io.micrometer.context.ThreadLocalAccessor;

/**
 * Lets Micrometer context-propagation carry the current {@link FlagContext}: Spring's
 * {@code ContextPropagatingTaskDecorator}, {@code ContextSnapshot}s and Reactor's automatic
 * context propagation all capture and restore it. Registered through {@code ServiceLoader}, so it
 * works as soon as this jar is on the class path; {@link #KEY} is also the Reactor context key.
 *
 * <p>An empty context is reported as absent, so it is never captured. Clearing makes the empty
 * context current, which leaves no request's decisions behind on a pooled thread.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagContextAccessor implements ThreadLocalAccessor<FlagContext> {
  /** The key under which the context is captured, and stored in a Reactor {@code Context}. */
  public static final String KEY = "dev.flagroute.context";

  /** Created by {@code ServiceLoader}. */
  public FlagContextAccessor() {}

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public FlagContext getValue() {
    FlagContext current = FlagContext.current();
    return current.hasNothingToStamp() ? null : current;
  }

  @Override
  public void setValue(FlagContext value) {
    // The scope is not closed here: context-propagation restores the previous value itself.
    value.makeCurrent();
  }

  @Override
  public void setValue() {
    FlagContext.empty().makeCurrent();
  }
}
