package dev.flagroute.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * An {@link AsyncContext} whose {@link #start(Runnable) tasks} and {@link AsyncListener listeners}
 * run with the request's decision bound to the container thread that runs them, and cleared after.
 */
final class FlagAsyncContext implements AsyncContext {
  private final AsyncContext delegate;
  private final RequestFlags flags;
  private final ThreadBinder binder;

  FlagAsyncContext(AsyncContext delegate, RequestFlags flags, ThreadBinder binder) {
    this.delegate = delegate;
    this.flags = flags;
    this.binder = binder;
  }

  @Override
  public void start(Runnable task) {
    delegate.start(binder.wrap(flags, task));
  }

  @Override
  public void addListener(AsyncListener listener) {
    delegate.addListener(new BoundListener(listener));
  }

  @Override
  public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
    delegate.addListener(new BoundListener(listener), request, response);
  }

  @Override
  public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
    return delegate.createListener(type);
  }

  @Override
  public ServletRequest getRequest() {
    return delegate.getRequest();
  }

  @Override
  public ServletResponse getResponse() {
    return delegate.getResponse();
  }

  @Override
  public boolean hasOriginalRequestAndResponse() {
    return delegate.hasOriginalRequestAndResponse();
  }

  @Override
  public void dispatch() {
    delegate.dispatch();
  }

  @Override
  public void dispatch(String path) {
    delegate.dispatch(path);
  }

  @Override
  public void dispatch(ServletContext context, String path) {
    delegate.dispatch(context, path);
  }

  @Override
  public void complete() {
    delegate.complete();
  }

  @Override
  public void setTimeout(long timeout) {
    delegate.setTimeout(timeout);
  }

  @Override
  public long getTimeout() {
    return delegate.getTimeout();
  }

  /** Runs each callback of {@code listener} with the request's decision bound. */
  private final class BoundListener implements AsyncListener {
    private final AsyncListener listener;

    BoundListener(AsyncListener listener) {
      this.listener = listener;
    }

    @Override
    public void onComplete(AsyncEvent event) throws IOException {
      try (var ignored = binder.bind(flags)) {
        listener.onComplete(event);
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      try (var ignored = binder.bind(flags)) {
        listener.onTimeout(event);
      }
    }

    @Override
    public void onError(AsyncEvent event) throws IOException {
      try (var ignored = binder.bind(flags)) {
        listener.onError(event);
      }
    }

    @Override
    public void onStartAsync(AsyncEvent event) throws IOException {
      try (var ignored = binder.bind(flags)) {
        listener.onStartAsync(event);
      }
    }
  }
}
