package dev.flagroute.grpc;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ServerCall;

/** Makes a call's {@link FlagContext} current around every listener callback, and only then. */
@SuppressWarnings("try") // the scope is held, not read
final class FlagScopedListener<ReqT> extends SimpleForwardingServerCallListener<ReqT> {
  private final FlagContext flags;

  FlagScopedListener(ServerCall.Listener<ReqT> delegate, FlagContext flags) {
    super(delegate);
    this.flags = flags;
  }

  @Override
  public void onMessage(ReqT message) {
    try (FlagScope ignored = flags.makeCurrent()) {
      super.onMessage(message);
    }
  }

  @Override
  public void onHalfClose() {
    try (FlagScope ignored = flags.makeCurrent()) {
      super.onHalfClose();
    }
  }

  @Override
  public void onCancel() {
    try (FlagScope ignored = flags.makeCurrent()) {
      super.onCancel();
    }
  }

  @Override
  public void onComplete() {
    try (FlagScope ignored = flags.makeCurrent()) {
      super.onComplete();
    }
  }

  @Override
  public void onReady() {
    try (FlagScope ignored = flags.makeCurrent()) {
      super.onReady();
    }
  }

  @Override
  public void onEvent(Object event) {
    try (FlagScope ignored = flags.makeCurrent()) {
      super.onEvent(event);
    }
  }
}
