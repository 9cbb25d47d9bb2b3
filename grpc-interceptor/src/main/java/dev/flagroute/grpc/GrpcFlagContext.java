package dev.flagroute.grpc;

import dev.flagroute.context.FlagContext;
import io.grpc.Context;

/**
 * Where a call's {@link FlagContext} lives in {@link io.grpc.Context}. {@link FlagServerInterceptor}
 * puts it there for every server call, so it follows the call wherever gRPC's own context goes:
 * {@link Context#wrap(Runnable)}, {@link Context#currentContextExecutor}, nested client calls.
 */
public final class GrpcFlagContext {
  private static final Context.Key<FlagContext> KEY =
      Context.keyWithDefault("flagroute.flag-context", FlagContext.empty());

  private GrpcFlagContext() {}

  /** The key under which the call's context is stored; its default is {@link FlagContext#empty()}. */
  public static Context.Key<FlagContext> key() {
    return KEY;
  }

  /** The flag context stored in {@code context}, or {@link FlagContext#empty()}. */
  public static FlagContext from(Context context) {
    return KEY.get(context);
  }

  /**
   * The flag context of the current thread: flagroute's own scope ({@link FlagContext#current()})
   * when it has something to stamp ({@link FlagContext#hasNothingToStamp()}), otherwise the one in
   * the current {@link io.grpc.Context}, otherwise {@link FlagContext#empty()}.
   */
  public static FlagContext current() {
    FlagContext scoped = FlagContext.current();
    return scoped.hasNothingToStamp() ? KEY.get() : scoped;
  }
}
