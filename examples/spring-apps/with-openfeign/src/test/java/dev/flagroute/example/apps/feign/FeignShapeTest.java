package dev.flagroute.example.apps.feign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.example.apps.Downstream;
import dev.flagroute.example.apps.EdgeClient;
import dev.flagroute.example.apps.ShapeFlags;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The OpenFeign shape starts on a real port, routes a request, and its Feign call downstream carries the flags. */
class FeignShapeTest {
  @Test
  void startsAndRoutesARequestThroughTheEdgeIntoFeign() {
    try (Downstream downstream = Downstream.start();
        ConfigurableApplicationContext app = SpringApplication.run(FeignShapeApplication.class,
            ShapeFlags.edgeArguments("--reviews.url=" + downstream.url()))) {
      int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

      assertThat(EdgeClient.checkout(port, "beta-1", null)).isEqualTo("local=v2,downstream=v2");
      assertThat(EdgeClient.checkout(port, "someone", null)).isEqualTo("local=v1,downstream=v1");
      assertThat(downstream.received().get("x-flag-checkout")).containsExactly("v1");
    }
  }
}
