package dev.flagroute.spring.autoconfigure;

import dev.flagroute.micrometer.MicrometerRoutingListener;
import dev.flagroute.micrometer.RolloutMetrics;
import dev.flagroute.micrometer.VariantHealthMetrics;
import dev.flagroute.router.FlagRouter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Records routing metrics in the application's {@link MeterRegistry} through a
 * {@link MicrometerRoutingListener}, and per-variant health and rollout guard meters through a
 * {@link VariantHealthMetrics}, and the router's verdicts and ramps as gauges through a
 * {@link RolloutMetrics}, all from {@code flagroute-micrometer} (which the starter brings).
 * Switched off by {@code flagroute.metrics.enabled=false}; each backs off when the application
 * defines its own bean of that type.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration(after = FlagRouteAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerRoutingListener.class})
@ConditionalOnBooleanProperty(name = {"flagroute.enabled", "flagroute.metrics.enabled"}, matchIfMissing = true)
@ConditionalOnBean(MeterRegistry.class)
public class FlagRouteMetricsAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteMetricsAutoConfiguration() {}

  /** The listener the router reports decisions and drops to. */
  @Bean
  @ConditionalOnMissingBean
  public MicrometerRoutingListener flagRouteMetricsListener(MeterRegistry registry) {
    return new MicrometerRoutingListener(registry);
  }

  /** The listener recording each request's outcome per flag, variant and version, and the rollout guard. */
  @Bean
  @ConditionalOnMissingBean
  public VariantHealthMetrics flagRouteVariantHealthMetrics(MeterRegistry registry) {
    return new VariantHealthMetrics(registry);
  }

  /**
   * The router's verdicts and ramps as gauges, bound to the registry here (binding again, as Boot
   * does with every {@code MeterBinder} bean, finds the same gauges).
   */
  @Bean
  @ConditionalOnBean(FlagRouter.class)
  @ConditionalOnMissingBean
  public RolloutMetrics flagRouteRolloutMetrics(FlagRouter router, MeterRegistry registry) {
    RolloutMetrics metrics = new RolloutMetrics(router);
    metrics.bindTo(registry);
    return metrics;
  }
}
