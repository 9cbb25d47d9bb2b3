package dev.flagroute.kafka;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns consumed records into their {@link FlagContext}: a record's headers are read with a
 * {@link FlagRouter} exactly as an HTTP request's (same codec, limits and drop reports), and the
 * context is made current while the record is processed, so that what the processing sends or
 * calls carries the same flags.
 *
 * <p>The router's {@linkplain FlagRouter#mode() mode} is the trust rule. Records of topics that
 * flagroute-stamping services write are relayed ({@link RoutingMode#RELAY}: the stamped variants
 * are kept, and a record stamped from a shadow context is a shadow). Records of a topic that
 * clients outside the mesh write are not to be trusted: give that topic an
 * {@link RoutingMode#EDGE} router ({@link Builder#topicRouter}), which drops the flag headers and
 * evaluates the flags for the {@linkplain Builder#evaluationContext record's evaluation context}.
 *
 * <pre>{@code
 * FlagRecords flagRecords = FlagRecords.builder(relayRouter)
 *     .topicRouter("signups", edgeRouter)
 *     .build();
 * for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
 *   flagRecords.process(record, r -> handle(r.value()));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class FlagRecords {
  private static final Logger log = LoggerFactory.getLogger(FlagRecords.class);

  private final FlagRouter router;
  private final Map<String, FlagRouter> topicRouters;
  private final Function<? super ConsumerRecord<?, ?>, ? extends EvaluationContext> evaluationContext;

  private FlagRecords(Builder builder) {
    this.router = builder.router;
    this.topicRouters = Map.copyOf(builder.topicRouters);
    this.evaluationContext = builder.evaluationContext;
  }

  /** Starts configuring records read with {@code router}, for every topic not given its own router. */
  public static Builder builder(FlagRouter router) {
    return new Builder(router);
  }

  /** The routes of the router given to {@link #builder}, which lanes decide with. */
  public FlagRoutes routes() {
    return router.routes();
  }

  /** The router that reads records of {@code topic}. */
  public FlagRouter routerFor(String topic) {
    return topicRouters.getOrDefault(topic, router);
  }

  /** The flags of {@code record}; never throws on record input (see {@link FlagRouter#route}). */
  public FlagContext flags(ConsumerRecord<?, ?> record) {
    FlagRouter reader = routerFor(record.topic());
    EvaluationContext context = reader.mode() == RoutingMode.EDGE ? evaluationContextOf(record) : ImmutableContext.EMPTY;
    return reader.route(record.headers(), KafkaHeaders.GETTER, context);
  }

  /**
   * Processes {@code record} with {@code handler}, its flags current meanwhile, and reports the
   * outcome to the router ({@link FlagRouter#completed}: failed when the handler throws). The
   * handler's exception is rethrown as it is when unchecked, wrapped in a
   * {@link RecordProcessingException} otherwise.
   */
  public <K, V> void process(ConsumerRecord<K, V> record, RecordHandler<K, V> handler) {
    process(flags(record), record, handler);
  }

  @SuppressWarnings("try") // the scope is held, not read
  <K, V> void process(FlagContext flags, ConsumerRecord<K, V> record, RecordHandler<K, V> handler) {
    long start = System.nanoTime();
    boolean failed = true;
    try (FlagScope ignored = flags.makeCurrent()) {
      handler.handle(record);
      failed = false;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new RecordProcessingException(record, e);
    } finally {
      routerFor(record.topic()).completed(flags, RequestOutcome.since(start, failed));
    }
  }

  private EvaluationContext evaluationContextOf(ConsumerRecord<?, ?> record) {
    try {
      EvaluationContext context = evaluationContext.apply(record);
      return context == null ? ImmutableContext.EMPTY : context;
    } catch (RuntimeException e) {
      log.debug("evaluation context function failed for a record of {}; deciding with an empty context",
          record.topic(), e);
      return ImmutableContext.EMPTY;
    }
  }

  /** Configures {@link FlagRecords}. */
  public static final class Builder {
    private final FlagRouter router;
    private final Map<String, FlagRouter> topicRouters = new HashMap<>();
    private Function<? super ConsumerRecord<?, ?>, ? extends EvaluationContext> evaluationContext =
        record -> ImmutableContext.EMPTY;

    private Builder(FlagRouter router) {
      this.router = Objects.requireNonNull(router, "router");
    }

    /**
     * Reads records of {@code topic} with {@code topicRouter}: typically an {@link RoutingMode#EDGE}
     * router for a topic that clients outside the mesh write to.
     */
    public Builder topicRouter(String topic, FlagRouter topicRouter) {
      topicRouters.put(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(topicRouter, "topicRouter"));
      return this;
    }

    /**
     * How an {@link RoutingMode#EDGE} router's evaluation context is built from a record, such as
     * {@code record -> new ImmutableContext(String.valueOf(record.key()))}; the empty context by
     * default. A function that throws or returns null yields the empty context.
     */
    public Builder evaluationContext(Function<? super ConsumerRecord<?, ?>, ? extends EvaluationContext> function) {
      this.evaluationContext = Objects.requireNonNull(function, "function");
      return this;
    }

    /** Builds the immutable {@link FlagRecords}. */
    public FlagRecords build() {
      return new FlagRecords(this);
    }
  }
}
