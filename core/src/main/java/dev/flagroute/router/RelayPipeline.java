package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.internal.Fatal;
import dev.flagroute.internal.access.CodecAccess;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.internal.WireNames;
import dev.flagroute.observe.CodecMismatch;
import dev.flagroute.observe.Misroute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.EvaluationContext;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay: the stamped variants kept exactly, flags no header carries evaluated (with
 * {@code evaluateMissing}) or defaulted, a mirrored copy recognised by its authority or marker
 * ({@link ShadowMarks}), and requests the mesh sent to the wrong version reported
 * ({@link MisrouteDetector}).
 */
final class RelayPipeline implements RoutePipeline {
  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);

  private final FlagRoutes routes;
  private final HeaderCodec codec;
  private final Events events;
  /** Evaluates missing flags, or null when they take their defaults. */
  private final EdgeEvaluator evaluator;
  private final String shadowHeader;
  private final HeaderLimits limits;
  /** Detects misroutes, or null when the service is not named. */
  private final MisrouteDetector misroutes;
  private final RelayRead.Relayed[] relayed;

  RelayPipeline(FlagRoutes routes, HeaderCodec codec, Events events, EdgeEvaluator evaluator, String shadowHeader,
      HeaderLimits limits, MisrouteDetector misroutes) {
    this.routes = routes;
    this.codec = codec;
    this.events = events;
    this.evaluator = evaluator;
    this.shadowHeader = shadowHeader;
    this.limits = limits;
    this.misroutes = misroutes;
    this.relayed = routes.asList().stream().map(RelayRead.Relayed::new).toArray(RelayRead.Relayed[]::new);
  }

  @Override
  public <C> FlagContext route(C carrier, HeaderGetter<C> getter, EvaluationContext context, String authority) {
    FlagContext flags;
    try {
      flags = read(carrier, getter, context);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("flag routing failed; every flag takes its default", e);
      flags = RoutePipeline.failed(routes);
    }
    checkCodec(carrier, getter);
    if (shadow(carrier, getter, authority)) {
      flags = flags.asShadow();
    }
    if (misroutes != null) {
      Optional<Misroute> misroute = misroutes.check(flags);
      if (misroute.isPresent()) {
        events.misrouted(Positions.indexOf(routes, misroute.get().flagKey()), misroute.get());
      }
    }
    return flags;
  }

  /**
   * Reports the first inbound header that another codec than this router's writes (see
   * {@link CodecMismatch}); such headers are not read. Never throws but what {@link Fatal} lets
   * through.
   */
  private <C> void checkCodec(C carrier, HeaderGetter<C> getter) {
    try {
      for (String name : getter.names(carrier)) {
        String value = name.equalsIgnoreCase(WireNames.BAGGAGE_HEADER) ? getter.get(carrier, WireNames.BAGGAGE_HEADER)
            : null;
        HeaderCodec writer = CodecAccess.foreignWriter(codec, name, value);
        if (writer != null) {
          String header = name.toLowerCase(Locale.ROOT);
          events.codecMismatch(new CodecMismatch(codec.toString(), writer.toString(),
              header.length() > 128 ? header.substring(0, 128) : header));
          return;
        }
      }
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("could not check the inbound headers for another codec's flags", e);
    }
  }

  private <C> FlagContext read(C carrier, HeaderGetter<C> getter, EvaluationContext context) {
    FlagContext.Builder builder = FlagContext.builder(routes);
    CodecAccess.extract(codec, carrier, getter, new RelayRead(routes, relayed, builder, events));
    if (evaluator != null && !allDecided(builder)) {
      FlagContext evaluated = evaluator.evaluate(context);
      for (int i = 0; i < routes.size(); i++) {
        if (!Positions.isDecided(builder, i)) {
          Positions.put(builder, i, Positions.decision(evaluated, i));
        }
      }
    }
    return builder.fillDefaults(FlagDecision.MISSING).build();
  }

  private boolean allDecided(FlagContext.Builder builder) {
    for (int i = 0; i < routes.size(); i++) {
      if (!Positions.isDecided(builder, i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the request is a mirrored copy, by its authority or a valid marker; an invalid marker
   * is reported. Never throws but what {@link Fatal} lets through; a failure reads as no shadow.
   */
  private <C> boolean shadow(C carrier, HeaderGetter<C> getter, String authority) {
    try {
      String marker = getter.get(carrier, shadowHeader);
      DropReason problem = marker == null ? null : ShadowMarks.markerProblem(marker, limits);
      if (problem != null) {
        events.dropped(shadowHeader, problem);
      }
      return marker != null && problem == null || ShadowMarks.shadowAuthority(authority);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("could not read the shadow marker; the request is not taken for a shadow", e);
      return false;
    }
  }
}
