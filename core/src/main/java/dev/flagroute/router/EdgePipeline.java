package dev.flagroute.router;

import dev.flagroute.internal.AsciiNames;
import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.internal.Fatal;
import dev.flagroute.internal.access.CodecAccess;
import dev.flagroute.internal.access.ExtractSink;
import dev.flagroute.override.OverrideResult;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.EvaluationContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge: every flag decided through OpenFeature (cached), ramps and verdicts applied, the
 * rollout guard applied, then a valid override token's variants forced. Inbound flag headers and shadow markers are never used;
 * when the listener hears of them ({@link Events#foreignHeadersHeard()}) they are reported as
 * {@link DropReason#UNTRUSTED}, found in one look at the header names where the carrier lists them.
 */
final class EdgePipeline implements RoutePipeline {
  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);

  private final FlagRoutes routes;
  private final HeaderCodec codec;
  private final Events events;
  private final EdgeEvaluator evaluator;
  /** Override tokens, or null when they are off. */
  private final OverrideTokens overrides;
  private final String overrideHeader;
  private final String shadowHeader;
  /** The rollout guard, or null when no flag is guarded. */
  private final RolloutGuard guard;
  /** The verdicts and ramps, or null when no flag has either. */
  private final Rollouts rollouts;
  private final ExtractSink untrusted = new UntrustedSink();

  EdgePipeline(FlagRoutes routes, HeaderCodec codec, Events events, EdgeEvaluator evaluator, OverrideTokens overrides,
      String overrideHeader, String shadowHeader, RolloutGuard guard, Rollouts rollouts) {
    this.routes = routes;
    this.codec = codec;
    this.events = events;
    this.evaluator = evaluator;
    this.overrides = overrides;
    this.overrideHeader = overrideHeader;
    this.shadowHeader = shadowHeader;
    this.guard = guard;
    this.rollouts = rollouts;
  }

  @Override
  public <C> FlagContext route(C carrier, HeaderGetter<C> getter, EvaluationContext context, String authority) {
    Names names = null;
    FlagContext flags;
    try {
      names = events.foreignHeadersHeard() ? Names.scan(carrier, getter, codec, overrideHeader, shadowHeader) : null;
      flags = decide(carrier, getter, context, names);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("flag routing failed; every flag takes its default", e);
      flags = RoutePipeline.failed(routes);
    }
    reportMarker(carrier, getter, names);
    return flags;
  }

  private <C> FlagContext decide(C carrier, HeaderGetter<C> getter, EvaluationContext context, Names names) {
    if (names != null && names.flags) {
      CodecAccess.extract(codec, carrier, getter, untrusted);
    }
    Map<String, String> forced = overrides == null || names != null && !names.override ? null
        : override(carrier, getter, context);
    FlagContext decided = evaluator.evaluate(context);
    if (rollouts != null) {
      decided = rollouts.apply(decided, context.getTargetingKey());
    }
    if (guard != null) {
      decided = guard.apply(decided, context.getTargetingKey());
    }
    if (forced == null) {
      return decided;
    }
    FlagContext.Builder builder = decided.toBuilder();
    forced.forEach((key, variant) -> builder.put(key,
        new FlagDecision(variant, Source.OVERRIDE, FlagRouter.OVERRIDE_REASON)));
    return builder.build();
  }

  private <C> Map<String, String> override(C carrier, HeaderGetter<C> getter, EvaluationContext context) {
    String token = getter.get(carrier, overrideHeader);
    if (token == null) {
      return null;
    }
    OverrideResult result = overrides.verify(token, routes, context.getTargetingKey());
    if (result instanceof OverrideResult.Accepted accepted) {
      events.overrideAccepted(accepted.variants());
      return accepted.variants();
    }
    events.overrideRejected(((OverrideResult.Rejected) result).reason());
    return null;
  }

  /**
   * Reports an inbound shadow marker as untrusted, when the listener hears of foreign headers: the
   * edge takes no request for a shadow. Never throws but what {@link Fatal} lets through.
   */
  private <C> void reportMarker(C carrier, HeaderGetter<C> getter, Names names) {
    if (!events.foreignHeadersHeard() || names != null && !names.marker) {
      return;
    }
    try {
      if (getter.get(carrier, shadowHeader) != null) {
        events.dropped(shadowHeader, DropReason.UNTRUSTED);
      }
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("could not read the shadow marker", e);
    }
  }

  /**
   * Which headers the edge may need to read, from one look at the names the carrier lists: all of
   * them when it lists none, which {@link HeaderGetter#names} allows.
   */
  private static final class Names {
    /** A flag header of the codec. */
    boolean flags;
    /** The override header. */
    boolean override;
    /** The shadow marker. */
    boolean marker;

    static <C> Names scan(C carrier, HeaderGetter<C> getter, HeaderCodec codec, String overrideHeader,
        String shadowHeader) {
      Names names = new Names();
      boolean listed = false;
      for (String name : getter.names(carrier)) {
        listed = true;
        names.flags |= codec.owns(name);
        names.override |= AsciiNames.same(name, overrideHeader);
        names.marker |= AsciiNames.same(name, shadowHeader);
      }
      if (!listed) {
        names.flags = true;
        names.override = true;
        names.marker = true;
      }
      return names;
    }
  }

  /** Reports every inbound flag header as untrusted. */
  private final class UntrustedSink implements ExtractSink {
    @Override
    public void flag(int routeIndex, String header, String value) {
      events.dropped(header, DropReason.UNTRUSTED);
    }

    @Override
    public void dropped(String header, DropReason reason) {
      events.dropped(header, DropReason.UNTRUSTED);
    }
  }
}
