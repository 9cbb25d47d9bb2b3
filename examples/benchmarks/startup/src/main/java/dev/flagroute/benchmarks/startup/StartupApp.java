package dev.flagroute.benchmarks.startup;

import com.sun.management.OperatingSystemMXBean;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application whose start is measured: Spring MVC with RestClient, actuator and an OpenFeature
 * provider; {@code application.yaml} configures flagroute for it. It names no flagroute type,
 * so it starts the same with or without the starter. When ready it prints one line with the JVM's
 * CPU time so far (all its threads), the main thread's CPU time (which created every bean), its
 * uptime, the classes loaded and the main thread's CPU time in creating flagroute's beans (see
 * {@link FlagrouteBeans}), then exits.
 */
@SpringBootApplication
public class StartupApp {
  /** Starts the app, prints the measurement when it is ready and stops. */
  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(StartupApp.class);
    FlagrouteBeans beans = new FlagrouteBeans();
    application.addInitializers(context -> context.getBeanFactory().addBeanPostProcessor(beans));
    application.addListeners((ApplicationReadyEvent ready) -> report(ready.getApplicationContext(), beans));
    application.run(args);
  }

  private static void report(ConfigurableApplicationContext context, FlagrouteBeans beans) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuMillis = os.getProcessCpuTime() / 1_000_000;
    long mainMillis = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
    long wallMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    System.out.println("startup cpu-ms=" + cpuMillis + " main-ms=" + mainMillis + " wall-ms=" + wallMillis
        + " classes=" + classes + " flagroute-beans-ms=" + beans.millis());
    System.exit(SpringApplication.exit(context));
  }

  /** Ten flags, each an even split on the targeting key: what a service at the edge decides. */
  @Bean
  OpenFeatureAPI openFeatureApi() {
    Map<String, Flag<?>> flags = new LinkedHashMap<>();
    for (String key : new String[] {"checkout", "search", "ratings", "reviews", "cart", "pricing", "images",
        "profile", "shipping", "payment"}) {
      flags.put(key, Flag.<String>builder().variant("stable", "stable").variant("canary", "canary")
          .defaultVariant("stable").contextEvaluator((flag, context) -> context.getTargetingKey() != null
              && (context.getTargetingKey().hashCode() & 1) == 1 ? "canary" : null)
          .build());
    }
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new InMemoryProvider(flags));
    return api;
  }

  /** One endpoint, as every real application has. */
  @RestController
  static class Hello {
    @GetMapping("/hello")
    String hello() {
      return "hello";
    }
  }
}
