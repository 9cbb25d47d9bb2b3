package dev.flagroute.example.apps.tracing;

import dev.flagroute.context.FlagContext;
import dev.flagroute.example.apps.ShapeFlags;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.slf4j.MDC;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/** A traced Spring MVC edge: its flags are baggage, in the MDC and on its spans, and go downstream with RestClient. */
@SpringBootApplication
public class TracingShapeApplication {
  /** Runs the application. */
  public static void main(String[] args) {
    SpringApplication.run(TracingShapeApplication.class, args);
  }

  @Bean
  OpenFeatureAPI openFeatureApi() {
    return ShapeFlags.api();
  }

  /** {@code /checkout}: this hop's variant, the MDC's, and the one the downstream received. */
  @RestController
  static class Checkout {
    private final RestClient client;

    Checkout(RestClient.Builder builder) {
      this.client = builder.build();
    }

    @GetMapping("/checkout")
    String checkout(@RequestParam String downstream) {
      String mdc = MDC.get("x-flag-checkout");
      String received = client.get().uri(downstream).retrieve().body(String.class);
      return "local=" + FlagContext.current().variant("checkout") + ",mdc=" + mdc + ",downstream=" + received;
    }
  }
}
