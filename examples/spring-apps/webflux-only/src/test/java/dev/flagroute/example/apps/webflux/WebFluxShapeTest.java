package dev.flagroute.example.apps.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.example.apps.Downstream;
import dev.flagroute.example.apps.EdgeClient;
import dev.flagroute.example.apps.ShapeFlags;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The WebFlux-only shape starts on a real port and routes a request end to end. */
class WebFluxShapeTest {
  @Test
  void classPathHasNoServletApiNoRestClientAndNoServletAdapter() {
    assertThat(EdgeClient.present("jakarta.servlet.Filter")).isFalse();
    assertThat(EdgeClient.present("org.springframework.boot.restclient.RestClientCustomizer")).isFalse();
    assertThat(EdgeClient.present("dev.flagroute.servlet.FlagRoutingFilter")).isFalse();
    assertThat(EdgeClient.present("org.springframework.boot.webclient.WebClientCustomizer")).isTrue();
  }

  @Test
  void startsAndRoutesARequestThroughTheEdge() {
    try (Downstream downstream = Downstream.start();
        ConfigurableApplicationContext app = SpringApplication.run(WebFluxShapeApplication.class,
            ShapeFlags.edgeArguments())) {
      int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

      assertThat(EdgeClient.checkout(port, "beta-1", downstream.url())).isEqualTo("local=v2,downstream=v2");
      assertThat(EdgeClient.checkout(port, "someone", downstream.url())).isEqualTo("local=v1,downstream=v1");
    }
  }

  @Test
  void requestsToTheManagementPortAreNotRouted() {
    try (Downstream downstream = Downstream.start();
        ConfigurableApplicationContext app = SpringApplication.run(WebFluxShapeApplication.class,
            ShapeFlags.edgeArguments("--management.server.port=0",
                "--management.endpoints.web.exposure.include=health,metrics"))) {
      int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      int management = app.getEnvironment().getRequiredProperty("local.management.port", Integer.class);

      for (int i = 0; i < 3; i++) {
        assertThat(EdgeClient.get(management, "/actuator/health", "beta-" + i)).isEqualTo(200);
      }
      // no request was routed yet, so no decision was counted
      assertThat(EdgeClient.get(management, "/actuator/metrics/flagroute.decisions", "beta-9")).isEqualTo(404);

      EdgeClient.checkout(port, "beta-1", downstream.url());
      assertThat(EdgeClient.get(management, "/actuator/metrics/flagroute.decisions", "beta-9")).isEqualTo(200);
    }
  }

  @Test
  void startsWithEveryOutboundClientSwitchedOff() {
    try (ConfigurableApplicationContext app = SpringApplication.run(WebFluxShapeApplication.class,
        ShapeFlags.edgeArguments("--flagroute.outbound.web-client=false", "--flagroute.outbound.rest-client=false",
            "--flagroute.outbound.rest-template=false"))) {
      assertThat(app.isRunning()).isTrue();
    }
  }
}
