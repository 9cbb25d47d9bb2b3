package dev.flagroute.example.apps.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.example.apps.Downstream;
import dev.flagroute.example.apps.EdgeClient;
import dev.flagroute.example.apps.ShapeFlags;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The traced shape, with Micrometer Tracing's OpenTelemetry bridge and an in-memory span exporter:
 * the request's flags are baggage (remote and correlation fields work), its server span carries them,
 * and downstream receives the flags with no second {@code baggage} header.
 */
class TracingShapeTest {
  private static final String[] TRACING = {"--management.tracing.sampling.probability=1.0",
      "--management.tracing.baggage.remote-fields=x-flag-checkout",
      "--management.tracing.baggage.correlation.fields=x-flag-checkout"};

  @Test
  void flagsAreBaggageInTheMdcOnTheSpanAndRemoteFields() {
    try (Downstream downstream = Downstream.start(); ConfigurableApplicationContext app = start()) {
      int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

      assertThat(EdgeClient.checkout(port, "beta-1", downstream.url())).isEqualTo("local=v2,mdc=v2,downstream=v2");
      assertThat(downstream.received().get("x-flag-checkout")).containsExactly("v2");
      assertThat(downstream.received().getOrDefault("baggage", List.of())).hasSizeLessThanOrEqualTo(1);
      assertThat(downstream.received().get("traceparent")).hasSize(1);

      SpanData server = serverSpan(app);
      assertThat(server.getAttributes().get(AttributeKey.stringKey("flag.checkout"))).isEqualTo("v2");
    }
  }

  @Test
  void withTheBaggageCodecFlagsShareTracingsOneBaggageHeader() {
    try (Downstream downstream = Downstream.start();
        ConfigurableApplicationContext app = start("--flagroute.header.codec=baggage")) {
      int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

      EdgeClient.checkout(port, "beta-1", downstream.url());

      List<String> baggage = downstream.received().get("baggage");
      assertThat(baggage).hasSize(1);
      assertThat(Arrays.stream(baggage.get(0).split(",")).map(String::strip))
          .filteredOn(member -> member.startsWith("flag.checkout=")).containsExactly("flag.checkout=v2");
      assertThat(serverSpan(app).getAttributes().get(AttributeKey.stringKey("flag.checkout"))).isEqualTo("v2");
    }
  }

  private static ConfigurableApplicationContext start(String... more) {
    String[] tracing = new String[TRACING.length + more.length];
    System.arraycopy(TRACING, 0, tracing, 0, TRACING.length);
    System.arraycopy(more, 0, tracing, TRACING.length, more.length);
    return new SpringApplicationBuilder(TracingShapeApplication.class, Spans.class).run(ShapeFlags.edgeArguments(tracing));
  }

  /**
   * The request's server span. The server ends it after writing the response, so it may finish a
   * moment after the client has the answer: wait for it (up to ten seconds, then fail).
   */
  private static SpanData serverSpan(ConfigurableApplicationContext app) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      app.getBean(SdkTracerProvider.class).forceFlush().join(60, TimeUnit.SECONDS);
      Optional<SpanData> server = app.getBean(InMemorySpanExporter.class).getFinishedSpanItems().stream()
          .filter(span -> span.getKind() == SpanKind.SERVER).findFirst();
      if (server.isPresent() || System.nanoTime() > deadline) {
        return server.orElseThrow(() -> new AssertionError("no server span finished within 60 s"));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** Spans go to memory, for the test to read. */
  @Configuration(proxyBeanMethods = false)
  static class Spans {
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
      return InMemorySpanExporter.create();
    }
  }
}
