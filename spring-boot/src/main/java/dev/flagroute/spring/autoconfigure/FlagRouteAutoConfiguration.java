package dev.flagroute.spring.autoconfigure;

import dev.flagroute.config.RoutingSettings;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.router.FlagRouter;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link FlagRouter} from {@code flagroute.*} properties. Flags are decided by the
 * application's OpenFeature {@link Client} bean, else a client of its {@link OpenFeatureAPI} bean,
 * else of the global API; every {@link RoutingListener} bean hears the router. Backs off when the
 * application defines its own router. Configuration errors fail start-up with a report naming the
 * property (see {@code dev.flagroute.spring.diagnostics}).
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "flagroute.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FlagRouteProperties.class)
public class FlagRouteAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteAutoConfiguration() {}

  /**
   * The settings the router is built with, validated at start-up: what the {@code flagroute}
   * actuator endpoint shows. Absent when the application defines its own router.
   */
  @Bean
  @ConditionalOnMissingBean(FlagRouter.class)
  public RoutingSettings flagRouteSettings(FlagRouteProperties properties) {
    return RouterSettings.settings(properties);
  }

  /** The router every inbound adapter routes requests with. */
  @Bean
  @ConditionalOnMissingBean
  public FlagRouter flagRouter(FlagRouteProperties properties, RoutingSettings flagRouteSettings,
      ObjectProvider<Client> clients, ObjectProvider<OpenFeatureAPI> apis, ObjectProvider<RoutingListener> listeners) {
    return RouterSettings.router(flagRouteSettings, properties)
        .listener(CompositeRoutingListener.of(listeners.orderedStream().toList()))
        .client(client(properties, clients, apis))
        .build();
  }

  /** The application's client, else one of its API (or the global one) in {@code flagroute.openfeature.domain}. */
  static Client client(FlagRouteProperties properties, ObjectProvider<Client> clients,
      ObjectProvider<OpenFeatureAPI> apis) {
    String domain = properties.openfeature().domain();
    return clients.getIfUnique(() -> {
      OpenFeatureAPI api = apis.getIfUnique(OpenFeatureAPI::getInstance);
      return domain == null ? api.getClient() : api.getClient(domain);
    });
  }

  /**
   * Fails start-up, saying what to add, when a servlet application would route no inbound request
   * because {@code flagroute-servlet} is missing. WebFlux applications never need it.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnMissingClass("dev.flagroute.servlet.FlagRoutingFilter")
  @ConditionalOnBooleanProperty(name = "flagroute.servlet.enabled", matchIfMissing = true)
  static class ServletAdapterMissing {
    ServletAdapterMissing() {
      throw ConfigurationFailures.servletAdapterMissing();
    }
  }

  /**
   * Which inbound requests are the actuator's, when Spring Boot Actuator is present; the inbound
   * filters leave them alone. Switched off by {@code flagroute.skip-actuator=false}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication
  @ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
      "org.springframework.boot.web.server.context.WebServerInitializedEvent"})
  @ConditionalOnBooleanProperty(name = "flagroute.skip-actuator", matchIfMissing = true)
  static class Management {
    @Bean
    @ConditionalOnMissingBean
    ManagementRequests flagRouteManagementRequests(Environment environment) {
      return ManagementRequests.of(environment);
    }
  }
}
