package dev.flagroute.benchmarks.load.webflux;

import dev.flagroute.benchmarks.LoadFlags;
import dev.flagroute.benchmarks.load.LoadServer;
import dev.flagroute.spring.reactive.FlagReactorContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The server that {@code run-load.sh webflux} loads: the same Spring Boot WebFlux application
 * started twice in one JVM on Reactor Netty (loopback), once with flagroute's starter switched off
 * ({@code flagroute.enabled=false}), serving {@code /plain/}, and once with it on as
 * {@code application.yaml} configures it (EDGE over the benchmarks' ten routes, targeting key and
 * two attributes from headers), serving {@code /flagged/}. The starter's WebFilter applies to every
 * path of its application, hence two applications rather than two paths of one; they share the
 * JVM's JIT, heap and Reactor Netty's event loops (global by default). Actuator supplies a
 * {@code MeterRegistry} to each, so the starter's Micrometer listener is on, as in production. The
 * controller answers {@code flags=<n>}: the flags decided for the exchange (10 flagged, 0 plain).
 *
 * <p>Argument: the most seconds to run before stopping by itself (see {@link LoadServer}); any
 * {@code --name=value} after it is a Spring property of both applications.
 */
@SpringBootApplication
public class WebFluxLoadApp {
  /** Starts both applications on free ports and announces their paths. */
  public static void main(String[] args) {
    LoadServer.stopLater(args);
    start(LoadServer.PLAIN, args);
    start(LoadServer.FLAGGED, args);
  }

  private static void start(String path, String[] args) {
    SpringApplication application = new SpringApplication(WebFluxLoadApp.class);
    Map<String, Object> properties = new HashMap<>(LoadFlags.springRoutes());
    properties.put("flagroute.enabled", LoadServer.FLAGGED.equals(path));
    application.setDefaultProperties(properties);
    application.addListeners((ApplicationListener<WebServerInitializedEvent>) event -> LoadServer.announce(path,
        "http://127.0.0.1:" + event.getWebServer().getPort() + "/" + path + "/"));
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
    Mono<String> flags() {
      return FlagReactorContext.current().map(flags -> "flags=" + flags.size() + "\n");
    }
  }
}
