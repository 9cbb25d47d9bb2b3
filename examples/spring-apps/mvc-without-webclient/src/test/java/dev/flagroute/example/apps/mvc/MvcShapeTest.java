package dev.flagroute.example.apps.mvc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.example.apps.Downstream;
import dev.flagroute.example.apps.EdgeClient;
import dev.flagroute.example.apps.ShapeFlags;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The MVC shape without WebFlux starts on a real port and routes a request end to end. */
class MvcShapeTest {
  @Test
  void classPathHasNoWebFluxAndNoWebClient() {
    assertThat(EdgeClient.present("org.springframework.web.reactive.function.client.WebClient")).isFalse();
    assertThat(EdgeClient.present("org.springframework.boot.webclient.WebClientCustomizer")).isFalse();
    assertThat(EdgeClient.present("reactor.core.publisher.Mono")).isFalse();
  }

  @Test
  void startsAndRoutesARequestThroughTheEdge() {
    try (Downstream downstream = Downstream.start();
        ConfigurableApplicationContext app = SpringApplication.run(MvcShapeApplication.class,
            ShapeFlags.edgeArguments())) {
      int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

      assertThat(EdgeClient.checkout(port, "beta-1", downstream.url())).isEqualTo("local=v2,downstream=v2");
      assertThat(EdgeClient.checkout(port, "someone", downstream.url())).isEqualTo("local=v1,downstream=v1");
    }
  }
}
