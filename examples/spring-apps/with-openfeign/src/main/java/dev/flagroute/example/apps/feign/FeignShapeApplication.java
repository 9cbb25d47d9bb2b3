package dev.flagroute.example.apps.feign;

import dev.flagroute.context.FlagContext;
import dev.flagroute.example.apps.ShapeFlags;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A Spring MVC edge calling downstream through a Spring Cloud OpenFeign client. */
@SpringBootApplication
@EnableFeignClients(clients = FeignShapeApplication.Reviews.class)
public class FeignShapeApplication {
  /** Runs the application. */
  public static void main(String[] args) {
    SpringApplication.run(FeignShapeApplication.class, args);
  }

  @Bean
  OpenFeatureAPI openFeatureApi() {
    return ShapeFlags.api();
  }

  /** The downstream, at {@code reviews.url}. */
  @FeignClient(name = "reviews", url = "${reviews.url}")
  public interface Reviews {
    /** Any path: the downstream answers with the flag it received. */
    @GetMapping("/reviews")
    String reviews();
  }

  /** {@code /checkout}: this hop's variant and the one the downstream received. */
  @RestController
  static class Checkout {
    private final Reviews reviews;

    Checkout(Reviews reviews) {
      this.reviews = reviews;
    }

    @GetMapping("/checkout")
    String checkout() {
      return "local=" + FlagContext.current().variant("checkout") + ",downstream=" + reviews.reviews();
    }
  }
}
