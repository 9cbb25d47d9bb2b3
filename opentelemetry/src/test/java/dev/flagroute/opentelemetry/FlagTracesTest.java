package dev.flagroute.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the events say for each way a flag can be decided at a hop. */
class FlagTracesTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();

  @AfterEach
  void shutDown() {
    tracing.close();
  }

  private SpanData decide(FlagContext flags) {
    Span span = tracing.get("test").spanBuilder("request").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      FlagTraces.builder().build().decided(flags);
    } finally {
      span.end();
    }
    return spans.getFinishedSpanItems().get(spans.getFinishedSpanItems().size() - 1);
  }

  @Test
  void overridesGuardedDefaultsAndFailuresAreToldApart() {
    FlagContext flags = FlagContext.builder(Shop.ROUTES)
        .put("new-reviews", new FlagDecision("redesign", Source.OVERRIDE, "OVERRIDE"))
        .put("ratings-model", new FlagDecision("classic", Source.DEFAULT, FlagDecision.GUARDED)).build();
    List<EventData> events = decide(flags).getEvents();

    assertThat(events.get(0).getAttributes().get(FlagTraces.RESULT_REASON)).isEqualTo("override");
    assertThat(events.get(1).getAttributes().get(FlagTraces.RESULT_REASON)).isEqualTo("default");
    assertThat(events.get(1).getAttributes().get(FlagTraces.FLAGROUTE_REASON)).isEqualTo("GUARDED");
    assertThat(events.get(1).getAttributes().get(FlagTraces.ERROR_TYPE)).isNull();

    FlagContext failed = FlagContext.builder(Shop.ROUTES).fillDefaults("DEADLINE_EXCEEDED").build();
    assertThat(decide(failed).getEvents()).allSatisfy(event -> {
      assertThat(event.getAttributes().get(FlagTraces.RESULT_REASON)).isEqualTo("error");
      assertThat(event.getAttributes().get(FlagTraces.ERROR_TYPE)).isEqualTo("DEADLINE_EXCEEDED");
      assertThat(event.getAttributes().get(FlagTraces.PROVIDER_NAME)).isNull();
    });
  }

  @Test
  void relayedAndMissingFlagsGetAttributesButNoEvents() {
    FlagContext relayed = FlagContext.builder(Shop.ROUTES).relayed("new-reviews", "redesign")
        .fillDefaults(FlagDecision.MISSING).build();

    SpanData span = decide(relayed);

    assertThat(span.getEvents()).isEmpty();
    assertThat(span.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(
        "flagroute.flag.ratings-model"))).isEqualTo("classic");
  }

  @Test
  void outsideARecordingSpanNothingHappens() {
    FlagTraces.builder().build().decided(FlagContext.builder(Shop.ROUTES).fillDefaults("ERROR").build());

    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }
}
