package dev.flagroute.spring.autoconfigure;

import dev.flagroute.evaluation.WarmUpReport;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.spring.health.FlagRouteHealthIndicator;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code flagroute} health indicator (routes and provider readiness) to the default
 * health group when Spring Boot's health support is present. Switched off by
 * {@code management.health.flagroute.enabled=false}; backs off when the application defines its own.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration(after = FlagRouteAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBooleanProperty(name = "flagroute.enabled", matchIfMissing = true)
@ConditionalOnBean(FlagRouter.class)
@ConditionalOnEnabledHealthIndicator("flagroute")
public class FlagRouteHealthAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteHealthAutoConfiguration() {}

  /** The indicator, named {@code flagroute} in the health endpoint. */
  @Bean
  @ConditionalOnMissingBean(name = "flagrouteHealthIndicator")
  public FlagRouteHealthIndicator flagrouteHealthIndicator(FlagRouter router, FlagRouteProperties properties,
      ObjectProvider<Client> clients, ObjectProvider<OpenFeatureAPI> apis, ObjectProvider<WarmUpReport> warmUp) {
    boolean evaluates = router.mode() == RoutingMode.EDGE || properties.evaluateMissing();
    return new FlagRouteHealthIndicator(router,
        evaluates ? FlagRouteAutoConfiguration.client(properties, clients, apis) : null, warmUp.getIfAvailable());
  }
}
