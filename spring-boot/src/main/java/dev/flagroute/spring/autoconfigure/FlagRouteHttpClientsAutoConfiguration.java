package dev.flagroute.spring.autoconfigure;

import dev.flagroute.router.FlagRouter;
import dev.flagroute.spring.feign.FlagStampingFeignInterceptor;
import dev.flagroute.spring.http.FlagStampingRequestInterceptor;
import dev.flagroute.spring.reactive.FlagStampingExchangeFilter;
import feign.RequestInterceptor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Makes the builders Boot auto-configures ({@code RestClient.Builder}, {@code RestTemplateBuilder},
 * {@code WebClient.Builder}) and OpenFeign clients stamp the current flags on every outbound request. Each client is
 * switched off by its {@code flagroute.outbound.*} property; the interceptor and filter beans back
 * off when the application defines its own.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration(after = FlagRouteAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "flagroute.enabled", matchIfMissing = true)
@ConditionalOnBean(FlagRouter.class)
public class FlagRouteHttpClientsAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteHttpClientsAutoConfiguration() {}

  /**
   * The blocking clients: RestClient and RestTemplate share one interceptor. Each customizer sits in
   * a nested class guarded by its own type, as Boot's auto-configurations do, so that an application
   * without {@code spring-boot-restclient} (a WebFlux one) never loads a method signature naming it.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ClientHttpRequestInterceptor.class)
  static class Blocking {
    @Bean
    @ConditionalOnMissingBean
    FlagStampingRequestInterceptor flagStampingRequestInterceptor(FlagRouter router) {
      return new FlagStampingRequestInterceptor(router.codec());
    }
  }

  /** RestClient, when {@code spring-boot-restclient} is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ClientHttpRequestInterceptor.class, RestClientCustomizer.class})
  @ConditionalOnBooleanProperty(name = "flagroute.outbound.rest-client", matchIfMissing = true)
  static class RestClientStamping {
    @Bean
    @ConditionalOnMissingBean(name = "flagRouteRestClientCustomizer")
    RestClientCustomizer flagRouteRestClientCustomizer(FlagStampingRequestInterceptor interceptor) {
      return builder -> builder.requestInterceptor(interceptor);
    }
  }

  /** RestTemplate, when {@code spring-boot-restclient} is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ClientHttpRequestInterceptor.class, RestTemplateCustomizer.class})
  @ConditionalOnBooleanProperty(name = "flagroute.outbound.rest-template", matchIfMissing = true)
  static class RestTemplateStamping {
    @Bean
    @ConditionalOnMissingBean(name = "flagRouteRestTemplateCustomizer")
    RestTemplateCustomizer flagRouteRestTemplateCustomizer(FlagStampingRequestInterceptor interceptor) {
      return restTemplate -> restTemplate.getInterceptors().add(interceptor);
    }
  }

  /** OpenFeign clients: Spring Cloud OpenFeign applies {@code RequestInterceptor} beans to every client. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RequestInterceptor.class, HttpHeaders.class})
  @ConditionalOnBooleanProperty(name = "flagroute.outbound.feign", matchIfMissing = true)
  static class FeignStamping {
    @Bean
    @ConditionalOnMissingBean
    FlagStampingFeignInterceptor flagStampingFeignInterceptor(FlagRouter router) {
      return new FlagStampingFeignInterceptor(router.codec());
    }
  }

  /** The reactive client. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({WebClient.class, WebClientCustomizer.class})
  @ConditionalOnBooleanProperty(name = "flagroute.outbound.web-client", matchIfMissing = true)
  static class Reactive {
    @Bean
    @ConditionalOnMissingBean
    FlagStampingExchangeFilter flagStampingExchangeFilter(FlagRouter router) {
      return new FlagStampingExchangeFilter(router.codec());
    }

    @Bean
    @ConditionalOnMissingBean(name = "flagRouteWebClientCustomizer")
    WebClientCustomizer flagRouteWebClientCustomizer(FlagStampingExchangeFilter filter) {
      return filter::applyTo;
    }
  }
}
