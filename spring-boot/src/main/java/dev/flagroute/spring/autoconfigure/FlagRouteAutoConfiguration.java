package dev.flagroute.spring.autoconfigure;

import dev.flagroute.config.RoutingSettings;
import dev.flagroute.evaluation.WarmUpReport;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutesFileWatcher;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;

/**
 * Builds the {@link FlagRouter} from {@code flagroute.*} properties. Flags are decided by the
 * application's OpenFeature {@link Client} bean, else a client of its {@link OpenFeatureAPI} bean,
 * else of the global API; every {@link RoutingListener} bean hears the router, in order, one that
 * throws not keeping events from the others. Every routing flag is evaluated once at start-up. Backs off when the
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
        .listener(RoutingListener.composite(listeners.orderedStream().toList()))
        .client(client(properties, clients, apis))
        .build();
  }

  /**
   * Every routing flag evaluated once while the application starts, before it takes traffic, so the
   * first request does not pay for the provider's cold start: what it found (a flag the provider
   * does not know, a type that cannot route, a variant the routes do not list) is logged as a
   * warning per flag and shown by the {@code flagroute} health indicator.
   */
  @Bean
  @ConditionalOnMissingBean
  public WarmUpReport flagRouteWarmUp(FlagRouter router) {
    return router.warmUp();
  }

  /**
   * Watches {@code flagroute.routes-file} every {@code flagroute.routes-watch} and puts a changed
   * file in force without a restart; stopped when the context closes.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty("flagroute.routes-watch")
  @ConditionalOnMissingBean
  public RoutesFileWatcher flagRouteRoutesWatcher(FlagRouter router, FlagRouteProperties properties) {
    Resource file = properties.routesFile();
    Path path;
    try {
      path = file == null || !file.isFile() ? null : file.getFile().toPath();
    } catch (IOException e) {
      path = null;
    }
    if (path == null) {
      throw ConfigurationFailures.invalid("flagroute.routes-watch", "needs 'flagroute.routes-file' to name a file"
          + " on the file system, such as file:/etc/flagroute/routes.yaml; it is " + (file == null ? "unset"
          : file.getDescription()));
    }
    if (properties.routesWatch().isNegative() || properties.routesWatch().isZero()) {
      throw ConfigurationFailures.invalid("flagroute.routes-watch", "must be positive, such as 5s");
    }
    return RoutesFileWatcher.start(router, path, properties.routesWatch(), RoutesFileLoader::parse);
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
