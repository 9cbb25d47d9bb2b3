package dev.flagroute.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request through real servers, servlet to OkHttp to gRPC, each instrumented with OpenTelemetry
 * and flagroute's {@link FlagTraces}: one trace whose server spans name each flag's variant and the
 * version that served them, with the semantic-convention events where the edge decided.
 */
class TracesAcrossHopsTest {
  private static final AttributeKey<String> NEW_REVIEWS = AttributeKey.stringKey("flagroute.flag.new-reviews");
  private static final AttributeKey<String> RATINGS_MODEL = AttributeKey.stringKey("flagroute.flag.ratings-model");

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setLoggerProvider(SdkLoggerProvider.builder().addLogRecordProcessor(SimpleLogRecordProcessor.create(logs))
          .build())
      .setPropagators(ContextPropagators.create(TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
          W3CBaggagePropagator.getInstance())))
      .build();
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void shutDown() {
    otel.close();
  }

  private String get(Shop shop, String user) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(shop.product()).header("x-user-id", user)
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** The five spans of one request: three server spans (two made by hand, one by gRPC's instrumentation) and two clients. */
  private List<SpanData> awaitSpans(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (spans.getFinishedSpanItems().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return spans.getFinishedSpanItems();
  }

  private static SpanData server(List<SpanData> spans, Predicate<String> name) {
    return spans.stream().filter(s -> s.getKind() == SpanKind.SERVER && name.test(s.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no server span matching in " + spans));
  }

  @Test
  void everyHopsServerSpanNamesTheVariantsAndTheVersionAndTheEdgeRecordsTheEvaluations() throws Exception {
    try (Shop shop = Shop.start(otel, false)) {
      String body = get(shop, "alice");

      assertThat(body).contains("edge new-reviews=redesign,ratings-model=classic")
          .contains("hop reviews v2 new-reviews=redesign,ratings-model=classic")
          .contains("hop ratings v1 new-reviews=redesign,ratings-model=classic");
      List<SpanData> trace = awaitSpans(5);
      assertThat(trace).hasSize(5).extracting(SpanData::getTraceId).containsOnly(trace.get(0).getTraceId());
      assertThat(trace).extracting(SpanData::getKind).containsExactlyInAnyOrder(SpanKind.SERVER, SpanKind.SERVER,
          SpanKind.SERVER, SpanKind.CLIENT, SpanKind.CLIENT);
      SpanData edge = server(trace, name -> name.endsWith("/product"));
      SpanData reviews = server(trace, name -> name.endsWith("/reviews"));
      SpanData ratings = server(trace, name -> name.contains("test.Ratings/Get"));
      for (SpanData hop : List.of(edge, reviews, ratings)) {
        assertThat(hop.getAttributes().get(NEW_REVIEWS)).as(hop.getName()).isEqualTo("redesign");
        assertThat(hop.getAttributes().get(RATINGS_MODEL)).as(hop.getName()).isEqualTo("classic");
      }
      assertThat(edge.getAttributes().get(FlagTraces.VERSION)).as("no identity configured at the edge").isNull();
      assertThat(reviews.getAttributes().get(FlagTraces.SERVICE)).isEqualTo("reviews");
      assertThat(reviews.getAttributes().get(FlagTraces.VERSION)).isEqualTo("v2");
      assertThat(ratings.getAttributes().get(FlagTraces.VERSION)).isEqualTo("v1");

      assertThat(edge.getEvents()).extracting(EventData::getName).containsExactly(FlagTraces.EVENT, FlagTraces.EVENT);
      EventData targeted = edge.getEvents().get(0);
      assertThat(targeted.getAttributes().get(FlagTraces.FLAG_KEY)).isEqualTo("new-reviews");
      assertThat(targeted.getAttributes().get(FlagTraces.RESULT_VARIANT)).isEqualTo("redesign");
      assertThat(targeted.getAttributes().get(FlagTraces.RESULT_REASON)).isEqualTo("targeting_match");
      assertThat(targeted.getAttributes().get(FlagTraces.PROVIDER_NAME)).isEqualTo("in-memory");
      assertThat(edge.getEvents().get(1).getAttributes().get(FlagTraces.RESULT_REASON)).isEqualTo("static");
      assertThat(edge.getEvents()).allSatisfy(event -> assertThat(event.getAttributes().asMap().keySet())
          .extracting(AttributeKey::getKey).doesNotContain("feature_flag.context.id"));
      assertThat(reviews.getEvents()).as("relays decide nothing").isEmpty();
      assertThat(ratings.getEvents()).extracting(EventData::getName).doesNotContain(FlagTraces.EVENT);

      List<LogRecordData> events = logs.getFinishedLogRecordItems();
      assertThat(events).hasSize(2).allSatisfy(event -> {
        assertThat(event.getEventName()).isEqualTo(FlagTraces.EVENT);
        assertThat(event.getSpanContext().getSpanId()).as("in the edge span's context").isEqualTo(edge.getSpanId());
      });
    }
  }

  @Test
  void withTheBaggageBridgeOpenTelemetryAloneCarriesTheFlagsInOneBaggageHeader() throws Exception {
    try (Shop shop = Shop.start(otel, true)) {
      for (String user : List.of("alice", "bob")) {
        String variant = user.equals("alice") ? "redesign" : "stable";
        String body = get(shop, user);

        assertThat(body).contains("edge new-reviews=" + variant + ",ratings-model=classic")
            .contains("hop reviews v2 new-reviews=" + variant + ",ratings-model=classic baggage-headers=1")
            .contains("hop ratings v1 new-reviews=" + variant + ",ratings-model=classic");
      }
      List<SpanData> trace = awaitSpans(10);
      assertThat(trace).filteredOn(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("test.Ratings/Get"))
          .extracting(s -> s.getAttributes().get(NEW_REVIEWS)).containsExactlyInAnyOrder("redesign", "stable");
    }
  }
}
