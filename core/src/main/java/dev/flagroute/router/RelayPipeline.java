package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.internal.AsciiNames;
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
  /** Each route's decision when no header carries it and nothing evaluates it: its default, {@code MISSING}. */
  private final FlagDecision[] missing;

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
    this.missing = routes.asList().stream().map(route -> new FlagDecision(route.defaultVariant(), Source.DEFAULT,
        FlagDecision.MISSING)).toArray(FlagDecision[]::new);
  }

  @Override
  public <C> FlagContext route(C carrier, HeaderGetter<C> getter, EvaluationContext context, String authority) {
    FlagContext flags;
    RelayRead read = new RelayRead(routes, relayed, events, shadowHeader);
    try {
      flags = read(read, carrier, getter, context);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("flag routing failed; every flag takes its default", e);
      flags = RoutePipeline.failed(routes);
    }
    boolean marked = read.namesChecked() ? read.marked() : checkNames(carrier, getter);
    if (shadow(carrier, getter, marked, authority)) {
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
   * One look at every inbound header name: reports the first header that another codec than this
   * router's writes (see {@link CodecMismatch}; such headers are not read), and tells whether the
   * shadow marker may be present (it is listed, or the carrier lists no names). Never throws but
   * what {@link Fatal} lets through; a failure reads as a marker that may be present.
   */
  private <C> boolean checkNames(C carrier, HeaderGetter<C> getter) {
    boolean marker = false;
    boolean listed = false;
    boolean reported = false;
    try {
      for (String name : getter.names(carrier)) {
        listed = true;
        marker |= AsciiNames.same(name, shadowHeader);
        if (!reported) {
          reported = reportForeign(carrier, getter, name);
        }
      }
      return marker || !listed;
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("could not check the inbound headers for another codec's flags", e);
      return true;
    }
  }

  /** Reports header {@code name} if another codec than this router's writes it, and says whether it did. */
  private <C> boolean reportForeign(C carrier, HeaderGetter<C> getter, String name) {
    if (!WireNames.mayNameFlags(name)) {
      return false;
    }
    String value = AsciiNames.same(name, WireNames.BAGGAGE_HEADER) ? getter.get(carrier, WireNames.BAGGAGE_HEADER)
        : null;
    HeaderCodec writer = CodecAccess.foreignWriter(codec, name, value);
    if (writer == null) {
      return false;
    }
    String header = name.toLowerCase(Locale.ROOT);
    events.codecMismatch(new CodecMismatch(codec.toString(), writer.toString(),
        header.length() > 128 ? header.substring(0, 128) : header));
    return true;
  }

  private <C> FlagContext read(RelayRead read, C carrier, HeaderGetter<C> getter, EvaluationContext context) {
    CodecAccess.extract(codec, carrier, getter, read);
    if (evaluator != null && !allDecided(read)) {
      FlagContext evaluated = evaluator.evaluate(context);
      for (int i = 0; i < routes.size(); i++) {
        read.decideIfUndecided(i, Positions.decision(evaluated, i));
      }
    }
    return read.context(missing);
  }

  private boolean allDecided(RelayRead read) {
    for (int i = 0; i < routes.size(); i++) {
      if (!read.isDecided(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the request is a mirrored copy, by its authority or a valid marker (looked up only when
   * {@code marked}: the names may hold it); an invalid marker is reported. Never throws but what {@link Fatal} lets through; a failure reads as no shadow.
   */
  private <C> boolean shadow(C carrier, HeaderGetter<C> getter, boolean marked, String authority) {
    try {
      String marker = marked ? getter.get(carrier, shadowHeader) : null;
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
