package dev.flagroute.example.apps.plain;

import dev.flagroute.context.FlagContext;
import dev.flagroute.example.apps.ShapeFlags;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/** A Spring MVC edge with neither actuator nor Micrometer metrics, calling downstream with RestTemplate. */
@SpringBootApplication
public class PlainShapeApplication {
  /** Runs the application. */
  public static void main(String[] args) {
    SpringApplication.run(PlainShapeApplication.class, args);
  }

  @Bean
  OpenFeatureAPI openFeatureApi() {
    return ShapeFlags.api();
  }

  /** {@code /checkout}: this hop's variant and the one the downstream received. */
  @RestController
  static class Checkout {
    private final RestTemplate client;

    Checkout(RestTemplateBuilder builder) {
      this.client = builder.build();
    }

    @GetMapping("/checkout")
    String checkout(@RequestParam String downstream) {
      String received = client.getForObject(downstream, String.class);
      return "local=" + FlagContext.current().variant("checkout") + ",downstream=" + received;
    }
  }
}
