package dev.flagroute.example.apps.webflux;

import dev.flagroute.example.apps.ShapeFlags;
import dev.flagroute.spring.reactive.FlagReactorContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** A WebFlux edge: reads its flags from the Reactor context and calls downstream with WebClient. */
@SpringBootApplication
public class WebFluxShapeApplication {
  /** Runs the application. */
  public static void main(String[] args) {
    SpringApplication.run(WebFluxShapeApplication.class, args);
  }

  @Bean
  OpenFeatureAPI openFeatureApi() {
    return ShapeFlags.api();
  }

  /** {@code /checkout}: this hop's variant and the one the downstream received. */
  @RestController
  static class Checkout {
    private final WebClient client;

    Checkout(WebClient.Builder builder) {
      this.client = builder.build();
    }

    @GetMapping("/checkout")
    Mono<String> checkout(@RequestParam String downstream) {
      return FlagReactorContext.current().flatMap(flags -> client.get().uri(downstream).retrieve()
          .bodyToMono(String.class).map(received -> "local=" + flags.variant("checkout") + ",downstream=" + received));
    }
  }
}
