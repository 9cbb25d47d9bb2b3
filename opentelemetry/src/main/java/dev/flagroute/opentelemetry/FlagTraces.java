package dev.flagroute.opentelemetry;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.routes.FlagRoute;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.trace.Span;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RoutingListener} that shows routing in traces. When a router decides (edge) or reads
 * (relay) a request's flags, the span current at that moment, the server span where the request
 * is instrumented, gets:
 *
 * <ul>
 *   <li>an attribute {@code flagroute.flag.<key>} per flag naming its variant, on every hop;
 *   <li>{@code flagroute.service} and {@code flagroute.version}, this instance's service identity,
 *       when configured ({@link Builder#service}), so the trace shows which version served each hop;
 *   <li>a {@value #EVENT} event per flag decided at this hop (evaluated, forced by an override
 *       token, or defaulted because the evaluation failed or the rollout guard held it back, but not
 *       carried in from upstream), with {@code feature_flag.key}, {@code feature_flag.result.variant},
 *       {@code feature_flag.result.reason}, {@code feature_flag.provider.name} (when configured) and,
 *       for failures, {@code error.type}, following OpenTelemetry's feature-flag semantic conventions.
 *       The reason is the provider's, lowercased ({@code targeting_match}, {@code split}, ...);
 *       {@code override} for a variant forced by an override token; {@code default} (with
 *       {@code flagroute.reason} {@code GUARDED}) for one the rollout guard held back; {@code error}
 *       (with {@code error.type} naming the failure) for a failed evaluation.
 * </ul>
 *
 * <p>The conventions now describe the event as a log-based event; spans events are where traces
 * show it today. {@link Builder#logEvents} also emits each event as a log record named
 * {@value #EVENT}, in the request's context. The targeting key ({@code feature_flag.context.id})
 * is never recorded. Attribute names and values come from the routes, so their number is bounded.
 * Register it with {@code FlagRouter.Builder.listener}; outside a recording span it does nothing.
 */
public final class FlagTraces implements RoutingListener {
  /** The event name: {@value}. */
  public static final String EVENT = "feature_flag.evaluation";
  /** The prefix of the per-flag span attributes: {@value}, then the flag key. */
  public static final String FLAG_ATTRIBUTE_PREFIX = "flagroute.flag.";
  /** This instance's service name, when configured. */
  public static final AttributeKey<String> SERVICE = AttributeKey.stringKey("flagroute.service");
  /** This instance's version label, when configured. */
  public static final AttributeKey<String> VERSION = AttributeKey.stringKey("flagroute.version");
  /** {@code feature_flag.key}. */
  public static final AttributeKey<String> FLAG_KEY = AttributeKey.stringKey("feature_flag.key");
  /** {@code feature_flag.result.variant}. */
  public static final AttributeKey<String> RESULT_VARIANT = AttributeKey.stringKey("feature_flag.result.variant");
  /** {@code feature_flag.result.reason}. */
  public static final AttributeKey<String> RESULT_REASON = AttributeKey.stringKey("feature_flag.result.reason");
  /** {@code feature_flag.provider.name}. */
  public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("feature_flag.provider.name");
  /** {@code error.type}, on events of failed evaluations. */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  /** flagroute's reason for a default ({@code GUARDED} or a failure), which says more than the conventions' value. */
  public static final AttributeKey<String> FLAGROUTE_REASON = AttributeKey.stringKey("flagroute.reason");

  private final String providerName;
  private final String service;
  private final String version;
  private final Logger events;
  private final Map<String, AttributeKey<String>> flagKeys = new ConcurrentHashMap<>();

  private FlagTraces(Builder builder) {
    this.providerName = builder.providerName;
    this.service = builder.service;
    this.version = builder.version;
    this.events = builder.loggers == null ? null : builder.loggers.get("dev.flagroute");
  }

  /** Starts a listener with no provider name, no service identity and span events only. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void decided(FlagContext context) {
    Span span = Span.current();
    boolean recording = span.isRecording();
    if (!recording && events == null) {
      return;
    }
    if (recording && version != null) {
      span.setAttribute(SERVICE, service);
      span.setAttribute(VERSION, version);
    }
    context.forEach((route, decision) -> {
      if (recording) {
        span.setAttribute(flagKeys.computeIfAbsent(route.key(), key -> AttributeKey.stringKey(FLAG_ATTRIBUTE_PREFIX + key)),
            decision.variant());
      }
      if (decidedHere(decision)) {
        Attributes attributes = event(route, decision);
        if (recording) {
          span.addEvent(EVENT, attributes);
        }
        if (events != null) {
          events.logRecordBuilder().setEventName(EVENT).setAllAttributes(attributes).emit();
        }
      }
    });
  }

  /** Whether this hop decided the flag, rather than carrying it in or missing it. */
  private static boolean decidedHere(FlagDecision decision) {
    return decision.source() != Source.RELAYED && !FlagDecision.MISSING.equals(decision.reason());
  }

  private Attributes event(FlagRoute route, FlagDecision decision) {
    AttributesBuilder attributes = Attributes.builder().put(FLAG_KEY, route.key())
        .put(RESULT_VARIANT, decision.variant());
    if (providerName != null) {
      attributes.put(PROVIDER_NAME, providerName);
    }
    switch (decision.source()) {
      case EVALUATED -> attributes.put(RESULT_REASON, decision.reason().toLowerCase(Locale.ROOT));
      case OVERRIDE -> attributes.put(RESULT_REASON, "override");
      default -> {
        if (FlagDecision.GUARDED.equals(decision.reason())) {
          attributes.put(RESULT_REASON, "default").put(FLAGROUTE_REASON, decision.reason());
        } else {
          attributes.put(RESULT_REASON, "error").put(ERROR_TYPE, decision.reason()).put(FLAGROUTE_REASON, decision.reason());
        }
      }
    }
    return attributes.build();
  }

  /** Configures a {@link FlagTraces}. */
  public static final class Builder {
    private String providerName;
    private String service;
    private String version;
    private LoggerProvider loggers;

    private Builder() {}

    /** The {@code feature_flag.provider.name} of events, such as {@code flagd}; none by default. */
    public Builder providerName(String name) {
      this.providerName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** This instance's service name and version label, as in the routes, shown on every span it annotates. */
    public Builder service(String name, String version) {
      this.service = Objects.requireNonNull(name, "name");
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Also emits each {@value #EVENT} event as a log record through {@code loggers} (such as
     * {@code openTelemetry.getLogsBridge()}), the form the current conventions describe.
     */
    public Builder logEvents(LoggerProvider loggers) {
      this.loggers = Objects.requireNonNull(loggers, "loggers");
      return this;
    }

    /** Builds the listener; it is thread-safe, one per router. */
    public FlagTraces build() {
      return new FlagTraces(this);
    }
  }
}
