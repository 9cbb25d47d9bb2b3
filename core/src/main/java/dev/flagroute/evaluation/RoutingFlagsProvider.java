package dev.flagroute.evaluation;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.TrackingEventDetails;
import dev.openfeature.sdk.Value;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenFeature provider that gives application code the request's routing decision. While a
 * {@link FlagContext} is current, a string evaluation of one of its routing flags answers with the
 * decided variant (a boolean evaluation of a boolean routing flag, one whose variants are {@code true}
 * and {@code false}, answers it as a boolean), so the code reads the same variant the mesh routed on, on every hop, instead of
 * a fresh evaluation that might differ. Every other evaluation, and every evaluation outside a
 * request, goes to the wrapped provider.
 *
 * <p>A provider rather than a hook, because a hook cannot replace the value a provider returns.
 * Answers carry the decision's reason and the flag metadata {@code flagroute.source}
 * ({@code EVALUATED}, {@code RELAYED}, {@code DEFAULT} or {@code OVERRIDE}).
 *
 * <p>The wrapped provider is registered with a private, isolated {@link OpenFeatureAPI} when this
 * one is initialized, so that its events (configuration changed, stale, error, ready again) reach
 * this provider's clients and a {@code FlagRouter} that uses them can drop its cached decisions.
 * Register the wrapped provider nowhere else.
 *
 * <pre>{@code
 * api.setProviderAndWait(new RoutingFlagsProvider(new MyVendorProvider()));
 * FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.EDGE).client(api.getClient()).build();
 * }</pre>
 */
public final class RoutingFlagsProvider extends EventProvider {
  /** The flag metadata key naming the {@link Source} of an answered routing flag. */
  public static final String SOURCE_METADATA = "flagroute.source";

  private static final Map<Source, ImmutableMetadata> METADATA = sourceMetadata();

  private final FeatureProvider delegate;
  private final AtomicReference<OpenFeatureAPI> host = new AtomicReference<>();
  private final AtomicBoolean degraded = new AtomicBoolean();

  /** Wraps {@code delegate}, which decides every flag the current request has not decided. */
  public RoutingFlagsProvider(FeatureProvider delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  private static Map<Source, ImmutableMetadata> sourceMetadata() {
    Map<Source, ImmutableMetadata> metadata = new EnumMap<>(Source.class);
    for (Source source : Source.values()) {
      metadata.put(source, ImmutableMetadata.builder().addString(SOURCE_METADATA, source.name()).build());
    }
    return metadata;
  }

  @Override
  public Metadata getMetadata() {
    String name = "flagroute(" + delegate.getMetadata().getName() + ")";
    return () -> name;
  }

  @Override
  public void initialize(EvaluationContext evaluationContext) throws Exception {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    if (evaluationContext != null) {
      api.setEvaluationContext(evaluationContext);
    }
    api.onProviderConfigurationChanged(details -> emitProviderConfigurationChanged(copy(details)));
    api.onProviderStale(details -> {
      degraded.set(true);
      emitProviderStale(copy(details));
    });
    api.onProviderError(details -> {
      degraded.set(true);
      emitProviderError(copy(details));
    });
    api.onProviderReady(details -> {
      if (degraded.compareAndSet(true, false)) {
        emitProviderReady(copy(details));
      }
    });
    OpenFeatureAPI previous = host.getAndSet(api);
    if (previous != null) {
      previous.shutdown();
    }
    api.setProviderAndWait(delegate);
  }

  private static ProviderEventDetails copy(EventDetails details) {
    return ProviderEventDetails.builder()
        .flagsChanged(details.getFlagsChanged())
        .message(details.getMessage())
        .eventMetadata(details.getEventMetadata())
        .errorCode(details.getErrorCode())
        .build();
  }

  @Override
  public void shutdown() {
    OpenFeatureAPI api = host.getAndSet(null);
    if (api != null) {
      api.shutdown();
    }
    super.shutdown();
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
    FlagDecision decision = currentDecision(key);
    if (decision == null) {
      return delegate.getStringEvaluation(key, defaultValue, ctx);
    }
    return ProviderEvaluation.<String>builder()
        .value(decision.variant())
        .variant(decision.variant())
        .reason(decision.reason())
        .flagMetadata(METADATA.get(decision.source()))
        .build();
  }

  /** The current request's decision for exactly {@code key}, or null. */
  private static FlagDecision currentDecision(String key) {
    FlagContext current = FlagContext.current();
    FlagRoutes routes = current.routes();
    int index = Positions.indexOf(routes, key);
    return index < 0 || !routes.asList().get(index).key().equals(key) ? null : Positions.decision(current, index);
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
    FlagDecision decision = currentDecision(key);
    if (decision == null || !"true".equals(decision.variant()) && !"false".equals(decision.variant())) {
      return delegate.getBooleanEvaluation(key, defaultValue, ctx);
    }
    return ProviderEvaluation.<Boolean>builder()
        .value(Boolean.valueOf(decision.variant()))
        .variant(decision.variant())
        .reason(decision.reason())
        .flagMetadata(METADATA.get(decision.source()))
        .build();
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
    return delegate.getIntegerEvaluation(key, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<Long> getLongEvaluation(String key, Long defaultValue, EvaluationContext ctx) {
    return delegate.getLongEvaluation(key, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
    return delegate.getDoubleEvaluation(key, defaultValue, ctx);
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
    return delegate.getObjectEvaluation(key, defaultValue, ctx);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public List<Hook> getProviderHooks() {
    return delegate.getProviderHooks();
  }

  @Override
  public void track(String eventName, EvaluationContext context, TrackingEventDetails details) {
    delegate.track(eventName, context, details);
  }
}
