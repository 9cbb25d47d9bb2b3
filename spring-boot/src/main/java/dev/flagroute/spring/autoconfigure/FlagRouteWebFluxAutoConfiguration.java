package dev.flagroute.spring.autoconfigure;

import dev.flagroute.config.RoutingSettings;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.spring.reactive.FlagRoutingWebFilter;
import dev.flagroute.spring.reactive.ReactiveTargetingKeySource;
import java.net.InetSocketAddress;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * Routes every inbound exchange of a WebFlux application with a {@link FlagRoutingWebFilter}.
 * Switched off by {@code flagroute.webflux.enabled=false}; backs off when the application defines
 * its own filter or targeting-key source.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration(after = FlagRouteAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({WebFilter.class, Mono.class})
@ConditionalOnBooleanProperty(name = {"flagroute.enabled", "flagroute.webflux.enabled"}, matchIfMissing = true)
@ConditionalOnBean(FlagRouter.class)
public class FlagRouteWebFluxAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteWebFluxAutoConfiguration() {}

  /** Where each exchange's targeting key comes from, per {@code flagroute.targeting-key.*}. */
  @Bean
  @ConditionalOnMissingBean
  public ReactiveTargetingKeySource flagRouteReactiveTargetingKeySource(FlagRouteProperties properties) {
    FlagRouteProperties.TargetingKey key = properties.targetingKey();
    RouterSettings.checkTargetingKey(key);
    return switch (key.source()) {
      case NONE -> ReactiveTargetingKeySource.none();
      case HEADER -> ReactiveTargetingKeySource.header(key.name());
      case COOKIE -> ReactiveTargetingKeySource.cookie(key.name());
      case PRINCIPAL -> ReactiveTargetingKeySource.principal();
    };
  }

  /**
   * The filter that routes each exchange and carries its flags in the Reactor context, with the
   * attributes of {@code flagroute.attribute-headers}; the actuator's exchanges pass it by (see
   * {@code flagroute.skip-actuator}).
   */
  @Bean
  @ConditionalOnMissingBean
  public FlagRoutingWebFilter flagRoutingWebFilter(FlagRouter router, ReactiveTargetingKeySource targetingKey,
      FlagRouteProperties properties, ObjectProvider<RoutingSettings> settings,
      ObjectProvider<ManagementRequests> management) {
    FlagRoutingWebFilter.Builder filter = FlagRoutingWebFilter.builder(router).targetingKey(targetingKey)
        .order(properties.webflux().order());
    settings.getIfAvailable(() -> RouterSettings.settings(properties)).attributeHeaders()
        .forEach(filter::attributeFromHeader);
    ManagementRequests actuator = management.getIfAvailable();
    if (actuator != null) {
      filter.bypass(exchange -> actuator.matches(exchange.getRequest().getPath().pathWithinApplication().value(), 0,
          () -> localPort(exchange)));
    }
    return filter.build();
  }

  private static int localPort(ServerWebExchange exchange) {
    InetSocketAddress local = exchange.getRequest().getLocalAddress();
    return local == null ? -1 : local.getPort();
  }
}
