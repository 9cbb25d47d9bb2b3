package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.opentelemetry.FlagTraces;
import dev.flagroute.router.FlagRouter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With flagroute-opentelemetry on the class path, the router annotates the current span. */
class OpenTelemetryAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class, FlagRouteOpenTelemetryAutoConfiguration.class))
      .withPropertyValues(InboundAutoConfigurationTest.RELAY)
      .withPropertyValues("flagroute.service.name=reviews", "flagroute.service.version=v2");

  @Test
  void theRouterPutsTheFlagsAndTheVersionOnTheCurrentSpan() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
        .build()) {
      runner.run(context -> {
        Span span = tracing.get("test").spanBuilder("GET /reviews").startSpan();
        try (Scope ignored = span.makeCurrent()) {
          context.getBean(FlagRouter.class).route(Map.of("x-flag-checkout", "v2"), HeaderGetter.forMap());
        } finally {
          span.end();
        }
        SpanData data = spans.getFinishedSpanItems().get(0);
        assertThat(data.getAttributes().get(AttributeKey.stringKey("flagroute.flag.checkout"))).isEqualTo("v2");
        assertThat(data.getAttributes().get(FlagTraces.VERSION)).isEqualTo("v2");
      });
    }
  }

  @Test
  void itBacksOffWithoutTheModuleOrWhenSwitchedOff() {
    runner.withPropertyValues("flagroute.tracing.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagTraces.class));
    runner.withClassLoader(new FilteredClassLoader(FlagTraces.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagTraces.class));
  }
}
