package dev.flagroute.example.apps.mvc;

import dev.flagroute.context.FlagContext;
import dev.flagroute.example.apps.ShapeFlags;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/** A Spring MVC edge calling downstream with RestClient. */
@SpringBootApplication
public class MvcShapeApplication {
  /** Runs the application. */
  public static void main(String[] args) {
    SpringApplication.run(MvcShapeApplication.class, args);
  }

  @Bean
  OpenFeatureAPI openFeatureApi() {
    return ShapeFlags.api();
  }

  /** {@code /checkout}: this hop's variant and the one the downstream received. */
  @RestController
  static class Checkout {
    private final RestClient client;

    Checkout(RestClient.Builder builder) {
      this.client = builder.build();
    }

    @GetMapping("/checkout")
    String checkout(@RequestParam String downstream) {
      String received = client.get().uri(downstream).retrieve().body(String.class);
      return "local=" + FlagContext.current().variant("checkout") + ",downstream=" + received;
    }
  }
}
