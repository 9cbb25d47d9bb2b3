package dev.flagroute.spring.reactive;

import dev.flagroute.context.FlagContext;
import dev.flagroute.spring.context.FlagContextAccessor;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The {@link FlagContext} of a reactive pipeline, kept in the Reactor {@link Context} under
 * {@link FlagContextAccessor#KEY}. With {@code spring.reactor.context-propagation=auto}, Reactor
 * also makes it current as a thread-local in every operator, on whichever thread runs it.
 *
 * <pre>{@code
 * return FlagReactorContext.current()
 *     .map(flags -> "checkout=" + flags.variant("checkout"));
 * }</pre>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagReactorContext {
  private FlagReactorContext() {}

  /** The pipeline's flags, or {@link FlagContext#empty()} if it carries none. */
  public static Mono<FlagContext> current() {
    return Mono.deferContextual(context -> Mono.just(get(context)));
  }

  /** The flags in {@code context}, or {@link FlagContext#empty()}. */
  public static FlagContext get(ContextView context) {
    return context.getOrDefault(FlagContextAccessor.KEY, FlagContext.empty());
  }

  /** A {@code contextWrite} function that carries {@code flags} upstream. */
  public static Function<Context, Context> with(FlagContext flags) {
    return context -> context.put(FlagContextAccessor.KEY, flags);
  }
}
