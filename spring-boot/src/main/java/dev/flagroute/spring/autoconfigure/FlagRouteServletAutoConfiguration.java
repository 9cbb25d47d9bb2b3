package dev.flagroute.spring.autoconfigure;

import dev.flagroute.config.RoutingSettings;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.servlet.FlagRoutingFilter;
import dev.flagroute.servlet.TargetingKeySource;
import dev.openfeature.sdk.OpenFeatureAPI;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Routes every inbound request of a servlet application (Spring MVC) with a
 * {@link FlagRoutingFilter}, registered early, for every dispatcher type, with async support.
 * Switched off by {@code flagroute.servlet.enabled=false}; backs off when the application defines
 * its own filter (or registration of it) or targeting-key source.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration(after = FlagRouteAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Filter.class, FlagRoutingFilter.class})
@ConditionalOnBooleanProperty(name = {"flagroute.enabled", "flagroute.servlet.enabled"}, matchIfMissing = true)
@ConditionalOnBean(FlagRouter.class)
public class FlagRouteServletAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteServletAutoConfiguration() {}

  /** Where each request's targeting key comes from, per {@code flagroute.targeting-key.*}. */
  @Bean
  @ConditionalOnMissingBean
  public TargetingKeySource flagRouteServletTargetingKeySource(FlagRouteProperties properties) {
    FlagRouteProperties.TargetingKey key = properties.targetingKey();
    RouterSettings.checkTargetingKey(key);
    return switch (key.source()) {
      case NONE -> TargetingKeySource.none();
      case HEADER -> TargetingKeySource.header(key.name());
      case COOKIE -> TargetingKeySource.cookie(key.name());
      case PRINCIPAL -> TargetingKeySource.principal();
    };
  }

  /**
   * The filter's registration: first among the application's filters, on every dispatch, with the
   * attributes of {@code flagroute.attribute-headers}; the actuator's requests pass it by (see
   * {@code flagroute.skip-actuator}).
   */
  @Bean
  @ConditionalOnMissingFilterBean(FlagRoutingFilter.class)
  public FilterRegistrationBean<Filter> flagRoutingFilterRegistration(FlagRouter router,
      TargetingKeySource targetingKey, ObjectProvider<OpenFeatureAPI> openFeature, FlagRouteProperties properties,
      ObjectProvider<RoutingSettings> settings, ObjectProvider<ManagementRequests> management) {
    FlagRouteProperties.Servlet servlet = properties.servlet();
    FlagRoutingFilter.Builder filter = FlagRoutingFilter.builder(router).targetingKey(targetingKey)
        .mdcKey(servlet.mdcKey().isEmpty() ? null : servlet.mdcKey());
    settings.getIfAvailable(() -> RouterSettings.settings(properties)).attributeHeaders()
        .forEach(filter::attributeFromHeader);
    openFeature.ifUnique(filter::openFeature);
    if (servlet.debugHeader() != null) {
      filter.debugHeader(servlet.debugHeader());
    }
    Filter routing = filter.build();
    ManagementRequests actuator = management.getIfAvailable();
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
        actuator == null ? routing : new ActuatorBypassFilter(routing, actuator));
    registration.setName("flagRoutingFilter");
    registration.setOrder(servlet.order());
    registration.setUrlPatterns(servlet.urlPatterns());
    registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
    registration.setAsyncSupported(true);
    return registration;
  }
}
