package dev.flagroute.example.apps.fleet;

import dev.flagroute.spring.reactive.FlagReactorContext;
import java.util.stream.Collectors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The last hop of the fleet: a WebFlux relay whose routes know every flag. {@code /flags} answers
 * with the flags this hop sees, as {@code key=variant:reason} in route order, then what it
 * carries without routing.
 */
@SpringBootApplication
public class RatingsApplication {
  /** Runs the application. */
  public static void main(String[] args) {
    SpringApplication.run(RatingsApplication.class, args);
  }

  /** {@code /flags}: the flags of this request as this hop sees them. */
  @RestController
  static class Flags {
    @GetMapping("/flags")
    Mono<String> flags() {
      return FlagReactorContext.current().map(flags -> flags.decisions().entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue().variant() + ":" + e.getValue().reason())
          .collect(Collectors.joining(",")) + " carried" + flags.carried());
    }
  }
}
