package dev.flagroute.spring.autoconfigure;

import dev.flagroute.router.FlagRouter;
import dev.flagroute.spring.actuate.FlagRouteEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Exposes the {@code flagroute} actuator endpoint when Spring Boot Actuator is present and the
 * endpoint is available ({@code management.endpoints.web.exposure.include=flagroute} for HTTP).
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration(after = FlagRouteAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBooleanProperty(name = "flagroute.enabled", matchIfMissing = true)
@ConditionalOnBean(FlagRouter.class)
@EnableConfigurationProperties(FlagRouteProperties.class)
public class FlagRouteEndpointAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteEndpointAutoConfiguration() {}

  /** The endpoint, describing the router and its configuration. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public FlagRouteEndpoint flagRouteEndpoint(FlagRouter router, FlagRouteProperties properties) {
    return new FlagRouteEndpoint(router, ConfigurationView.of(properties));
  }
}
