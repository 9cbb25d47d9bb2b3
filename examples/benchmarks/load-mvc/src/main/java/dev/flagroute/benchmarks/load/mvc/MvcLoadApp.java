package dev.flagroute.benchmarks.load.mvc;

import dev.flagroute.benchmarks.LoadFlags;
import dev.flagroute.benchmarks.load.LoadServer;
import dev.flagroute.context.FlagContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The server that {@code run-load.sh mvc} loads: a Spring Boot application on Tomcat (loopback)
 * serving one controller at {@code /plain/} and {@code /flagged/}, with flagroute's starter as
 * {@code application.yaml} configures it (EDGE over the benchmarks' ten routes, targeting key and
 * two attributes from headers) and its filter limited to {@code /flagged/*} by
 * {@code flagroute.servlet.url-patterns}. Actuator supplies a {@code MeterRegistry}, so the
 * starter's Micrometer listener is on, as in production. The controller answers
 * {@code flags=<n>}: the flags decided for the request (10 flagged, 0 plain).
 *
 * <p>Argument: the most seconds to run before stopping by itself (see {@link LoadServer}); any
 * {@code --name=value} after it is a Spring property.
 */
@SpringBootApplication
public class MvcLoadApp {
  /** Starts the application on a free port and announces its two paths. */
  public static void main(String[] args) {
    LoadServer.stopLater(args);
    SpringApplication application = new SpringApplication(MvcLoadApp.class);
    application.setDefaultProperties(LoadFlags.springRoutes());
    application.addListeners((ApplicationListener<WebServerInitializedEvent>) event -> {
      String base = "http://127.0.0.1:" + event.getWebServer().getPort();
      LoadServer.announce(LoadServer.PLAIN, base + "/plain/");
      LoadServer.announce(LoadServer.FLAGGED, base + "/flagged/");
    });
    application.run(args);
  }

  /** The benchmarks' provider: ten flags, each 50/50 on the targeting key. */
  @Bean
  OpenFeatureAPI openFeatureApi() {
    return LoadFlags.isolatedApi();
  }

  /** The endpoint on both paths. */
  @RestController
  static class Flags {
    @GetMapping({"/plain/", "/flagged/"})
    String flags() {
      return "flags=" + FlagContext.current().size() + "\n";
    }
  }
}
