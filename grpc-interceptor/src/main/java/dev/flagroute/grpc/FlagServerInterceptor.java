package dev.flagroute.grpc;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.evaluation.RequestContextSpec;
import dev.flagroute.internal.Fatal;
import dev.flagroute.internal.inbound.InboundView;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every inbound gRPC call with a {@link FlagRouter}, reading flag headers from the call's
 * ASCII metadata exactly as HTTP adapters read HTTP headers (same codec, rules and limits), and
 * makes the resulting {@link FlagContext} current for the whole call: in {@link io.grpc.Context}
 * (under {@link GrpcFlagContext#key()}) and in flagroute's own scope ({@link FlagContext#current()})
 * around {@code startCall} and every listener callback, for unary and streaming calls alike. Both
 * are restored after each callback, so nothing stays on transport or executor threads.
 *
 * <p>Bad metadata (binary {@code -bin} flag keys, invalid or unknown variants, too many or too long
 * values) is dropped and reported to the router's listener; it never fails the call. Misroute
 * detection, where the router offers it, comes with the router's configuration. How each call
 * ended (failed unless closed with status OK; cancelled calls fail) is reported once to
 * {@link FlagRouter#completed}, for per-variant health and the rollout guard.
 *
 * <p>Interceptors that run after this one, and the application, see the call's metadata as the
 * servlet filter shows HTTP headers: the flag metadata of the router's codec carries the decided
 * variants; other flag metadata of any codec ({@code x-flag-*}, {@code x-flags}, the {@code flag.}
 * members of {@code baggage}) and the override token are removed, edge and relay alike. Code that
 * copies inbound metadata onto outbound calls copies the decision, not a spoof or a token.
 *
 * <p>gRPC runs the interceptor registered last first: register this one after interceptors that
 * read the flags, so that it runs before them.
 *
 * <pre>{@code
 * Server server = ServerBuilder.forPort(8443)
 *     .addService(service)
 *     .intercept(FlagServerInterceptor.builder(router)
 *         .evaluationContext(EvaluationContextFunction.targetingKey("x-user-id"))
 *         .build())
 *     .build();
 * }</pre>
 */
public final class FlagServerInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(FlagServerInterceptor.class);

  private final FlagRouter router;
  private final EvaluationContextFunction evaluationContext;
  private final InboundView view;
  /** The inbound keys the router and the view read values from. */
  private final Set<String> readNames;

  private FlagServerInterceptor(Builder builder) {
    this.router = builder.router;
    this.evaluationContext = builder.evaluationContext;
    this.view = InboundView.of(router.codec());
    this.readNames = view.readNames(router.routes());
  }

  /**
   * Starts an interceptor that routes with {@code router}.
   *
   * @throws IllegalArgumentException if a flag header of the router's codec cannot travel as
   *     ASCII gRPC metadata (a name ending in {@code -bin}, or characters gRPC forbids in keys)
   */
  public static Builder builder(FlagRouter router) {
    return new Builder(router);
  }

  @Override
  @SuppressWarnings("try") // the scope is held, not read
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    EvaluationContext evaluation = evaluationContextOf(call, headers);
    FlaggedMetadata flagged = FlaggedMetadata.of(view, readNames, headers);
    FlagContext flags = router.route(flagged, FlaggedMetadata.READER, evaluation, call.getAuthority());
    Metadata shown = MetadataHeaders.show(view, flags, headers, flagged);
    Context context = Context.current().withValue(GrpcFlagContext.key(), flags);
    OutcomeCall<ReqT, RespT> reporting = new OutcomeCall<>(call, router, flags, // reports how the call ends
        evaluation, Context.current().getDeadline());
    return reporting.reportingCancel(Contexts.interceptCall(context, reporting, shown, (scopedCall, scopedHeaders) -> {
      try (FlagScope ignored = flags.makeCurrent()) {
        return new FlagScopedListener<>(next.startCall(scopedCall, scopedHeaders), flags);
      }
    }));
  }

  private EvaluationContext evaluationContextOf(ServerCall<?, ?> call, Metadata headers) {
    try {
      return RequestContextSpec.bounded(evaluationContext.apply(call, headers));
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("evaluation context function failed for {}; deciding with an empty context",
          call.getMethodDescriptor().getFullMethodName(), e);
      return ImmutableContext.EMPTY;
    }
  }

  /** Configures a {@link FlagServerInterceptor}. */
  public static final class Builder {
    private final FlagRouter router;
    private EvaluationContextFunction evaluationContext = EvaluationContextFunction.empty();

    private Builder(FlagRouter router) {
      this.router = Objects.requireNonNull(router, "router");
      List<String> unusable = router.codec().headerNames(router.routes()).stream()
          .filter(name -> MetadataHeaders.asciiKey(name) == null)
          .toList();
      if (!unusable.isEmpty()) {
        throw new IllegalArgumentException("flag headers " + unusable + " of " + router.codec()
            + " cannot travel as ASCII gRPC metadata: keys ending in '-bin' are binary and keys allow only"
            + " a-z, 0-9, '-', '_' and '.'; rename those flags or choose another header codec");
      }
    }

    /**
     * How the OpenFeature evaluation context of a call is built at the edge ({@link RoutingMode#EDGE});
     * {@link EvaluationContextFunction#empty()} by default. A function that throws (an exception, or
     * an error other than an {@link OutOfMemoryError}) yields the empty context, never a failed call.
     */
    public Builder evaluationContext(EvaluationContextFunction evaluationContext) {
      this.evaluationContext = Objects.requireNonNull(evaluationContext, "evaluationContext");
      return this;
    }

    /** Builds the interceptor; it is immutable and thread-safe, one per server. */
    public FlagServerInterceptor build() {
      return new FlagServerInterceptor(this);
    }
  }
}
