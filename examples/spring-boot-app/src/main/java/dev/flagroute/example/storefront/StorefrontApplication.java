package dev.flagroute.example.storefront;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A storefront at the edge of a mesh. flagroute's starter decides the routing flags of each
 * request (see {@code application.yaml}) and stamps them on every call made with Boot's
 * {@code RestClient.Builder}; this application only reads and forwards.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StorefrontApplication {
  /** Starts the storefront. */
  public static void main(String[] args) {
    SpringApplication.run(StorefrontApplication.class, args);
  }
}
