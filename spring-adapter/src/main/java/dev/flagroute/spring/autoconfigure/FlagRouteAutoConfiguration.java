package dev.flagroute.spring.autoconfigure;

import dev.flagroute.config.RoutingSettings;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.router.FlagRouter;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Builds the {@link FlagRouter} from {@code flagroute.*} properties. Flags are decided by the
 * application's OpenFeature {@link Client} bean, else a client of its {@link OpenFeatureAPI} bean,
 * else of the global API; every {@link RoutingListener} bean hears the router. Backs off when the
 * application defines its own router.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "flagroute.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FlagRouteProperties.class)
public class FlagRouteAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteAutoConfiguration() {}

  /** The router every inbound adapter routes requests with. */
  @Bean
  @ConditionalOnMissingBean
  public FlagRouter flagRouter(FlagRouteProperties properties, ObjectProvider<Client> clients,
      ObjectProvider<OpenFeatureAPI> apis, ObjectProvider<RoutingListener> listeners) {
    String domain = properties.openfeature().domain();
    Client client = clients.getIfUnique(() -> {
      OpenFeatureAPI api = apis.getIfUnique(OpenFeatureAPI::getInstance);
      return domain == null ? api.getClient() : api.getClient(domain);
    });
    RoutingSettings settings = RouterSettings.settings(properties);
    return RouterSettings.router(settings, properties)
        .listener(CompositeRoutingListener.of(listeners.orderedStream().toList()))
        .client(client)
        .build();
  }
}
