package dev.flagroute.servlet;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.evaluation.RequestContextSpec;
import dev.flagroute.internal.Fatal;
import dev.flagroute.internal.inbound.InboundView;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.Value;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the filter does with one request: decide once, then wrap and bind at every dispatch. */
final class RequestRouting {
  private static final Logger log = LoggerFactory.getLogger(RequestRouting.class);
  private static final int MAX_REASON_LENGTH = 64;

  private final FlagRouter router;
  private final TargetingKeySource targetingKey;
  /** The attributes read from headers, and the bounds on them and on the targeting key. */
  private final RequestContextSpec spec;
  private final BiConsumer<HttpServletRequest, MutableContext> attributes;
  private final String debugHeader;
  private final boolean mdc;
  private final ThreadBinder binder;
  private final InboundView view;

  RequestRouting(FlagRouter router, TargetingKeySource targetingKey, Map<String, String> headerAttributes,
      BiConsumer<HttpServletRequest, MutableContext> attributes, String debugHeader, ThreadBinder binder,
      boolean mdc) {
    this.router = router;
    this.targetingKey = targetingKey;
    this.spec = RequestContextSpec.of(null, headerAttributes);
    this.attributes = attributes;
    this.debugHeader = debugHeader;
    this.binder = binder;
    this.mdc = mdc;
    this.view = InboundView.of(router.codec());
  }

  /**
   * Decides the request's flags. Never throws but what {@link Fatal} lets through: any failure of the
   * router, the targeting-key source or the attribute callback, exceptions and errors alike, gives
   * the flags their defaults.
   */
  RequestFlags decide(HttpServletRequest request) {
    EvaluationContext evaluation;
    FlagContext flags;
    try {
      evaluation = evaluationContext(request);
      flags = router.route(request, ServletHeaders.GETTER, evaluation, request.getServerName());
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("could not build the evaluation context or route the request; flags take their defaults", e);
      evaluation = ImmutableContext.EMPTY;
      flags = fallback(request);
    }
    return new RequestFlags(flags, evaluation, mdc ? flags.variantSummary() : null);
  }

  /** Relayed variants survive a failed context callback; at the edge everything is default. */
  private FlagContext fallback(HttpServletRequest request) {
    if (router.mode() == RoutingMode.RELAY) {
      try {
        return router.route(request, ServletHeaders.GETTER, ImmutableContext.EMPTY, request.getServerName());
      } catch (Throwable e) {
        Fatal.rethrowIfFatal(e);
        log.debug("relay routing failed; flags take their defaults", e);
      }
    }
    return FlagContext.builder(router.routes()).fillDefaults("ERROR").build();
  }

  /**
   * The request's evaluation context, read as {@link RequestContextSpec} says. With an attribute
   * callback, the callback then fills a {@link MutableContext} that is frozen within the same bounds.
   */
  private EvaluationContext evaluationContext(HttpServletRequest request) {
    EvaluationContext read = spec.read(request, ServletHeaders.GETTER, targetingKey.targetingKey(request));
    if (attributes == null) {
      return read;
    }
    Map<String, Value> values = new HashMap<>(read.asMap());
    values.remove(EvaluationContext.TARGETING_KEY);
    MutableContext context = new MutableContext(read.getTargetingKey(), values);
    attributes.accept(request, context);
    return RequestContextSpec.bounded(new ImmutableContext(context.getTargetingKey(), context.asMap()));
  }

  /** The view of {@code request} the application gets, unless an earlier dispatch already wrapped it. */
  HttpServletRequest wrap(HttpServletRequest request, ServletResponse response, RequestFlags flags) {
    return FlagRequest.isWrapped(request) ? request : new FlagRequest(request, response, view, flags, binder);
  }

  /** Reports how the request ended, now or when its async processing completes. */
  void completed(HttpServletRequest request, HttpServletResponse response, RequestFlags flags, long startNanos,
      boolean thrown) {
    String targetingKey = flags.evaluationContext() == null ? null : flags.evaluationContext().getTargetingKey();
    // the client's address counts only for a request without a key
    String client = targetingKey == null || targetingKey.isEmpty() ? request.getRemoteAddr() : null;
    OutcomeReporter.dispatched(router, request, response, flags.flags(), RequestOutcome.user(targetingKey, client),
        startNanos, thrown);
  }

  /** Binds the decision to this thread until the scope closes. */
  FlagScope bind(RequestFlags flags) {
    return binder.bind(flags);
  }

  /** Adds the debug header, when configured, listing each flag's variant, source and reason. */
  void writeDebugHeader(HttpServletResponse response, FlagContext flags) {
    if (debugHeader == null) {
      return;
    }
    StringBuilder value = new StringBuilder();
    flags.forEach((route, decision) -> {
      if (value.length() > 0) {
        value.append(',');
      }
      value.append(route.key()).append('=').append(decision.variant())
          .append(";source=").append(decision.source().name().toLowerCase(Locale.ROOT))
          .append(";reason=").append(token(decision.reason()));
    });
    response.setHeader(debugHeader, value.toString());
  }

  /** A reason as a header-safe token: letters, digits, '_', '-' and '.', at most 64 chars. */
  private static String token(String reason) {
    int length = Math.min(reason.length(), MAX_REASON_LENGTH);
    StringBuilder token = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      char c = reason.charAt(i);
      boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
          || c == '.';
      token.append(safe ? c : '_');
    }
    return token.toString();
  }
}
