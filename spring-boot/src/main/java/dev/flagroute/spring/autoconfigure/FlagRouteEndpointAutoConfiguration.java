package dev.flagroute.spring.autoconfigure;

import dev.flagroute.config.RoutingSettings;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.spring.actuate.FlagRouteEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
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

  /**
   * The endpoint, describing the router in use: its routes and the settings it was built with,
   * defaults included (the override secret only as set or not set). For a router the application
   * built itself, the settings are unknown and not shown.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public FlagRouteEndpoint flagRouteEndpoint(FlagRouter router, FlagRouteProperties properties,
      ObjectProvider<RoutingSettings> settings) {
    Map<String, Object> view = new LinkedHashMap<>();
    RoutingSettings used = settings.getIfAvailable();
    if (used != null) {
      view.put("routes", properties.routesFile() != null ? properties.routesFile().getDescription()
          : properties.routes().size() + " inline (flagroute.routes)");
      view.putAll(used.effective());
    }
    return new FlagRouteEndpoint(router, view);
  }
}
