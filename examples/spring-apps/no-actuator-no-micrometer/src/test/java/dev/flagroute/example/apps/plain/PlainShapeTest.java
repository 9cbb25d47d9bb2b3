package dev.flagroute.example.apps.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.example.apps.Downstream;
import dev.flagroute.example.apps.EdgeClient;
import dev.flagroute.example.apps.ShapeFlags;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The shape without actuator and Micrometer metrics starts on a real port and routes a request end to end. */
class PlainShapeTest {
  @Test
  void classPathHasNoActuatorAndNoMicrometerMetrics() {
    assertThat(EdgeClient.present("org.springframework.boot.actuate.endpoint.annotation.Endpoint")).isFalse();
    assertThat(EdgeClient.present("org.springframework.boot.health.contributor.HealthIndicator")).isFalse();
    assertThat(EdgeClient.present("io.micrometer.core.instrument.MeterRegistry")).isFalse();
  }

  @Test
  void startsAndRoutesARequestThroughTheEdge() {
    try (Downstream downstream = Downstream.start();
        ConfigurableApplicationContext app = SpringApplication.run(PlainShapeApplication.class,
            ShapeFlags.edgeArguments())) {
      int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

      assertThat(EdgeClient.checkout(port, "beta-1", downstream.url())).isEqualTo("local=v2,downstream=v2");
      assertThat(EdgeClient.checkout(port, "someone", downstream.url())).isEqualTo("local=v1,downstream=v1");
    }
  }
}
