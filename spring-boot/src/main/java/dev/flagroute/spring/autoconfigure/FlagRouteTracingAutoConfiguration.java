package dev.flagroute.spring.autoconfigure;

import dev.flagroute.router.FlagRouter;
import dev.flagroute.spring.tracing.TracingFlagBaggage;
import dev.flagroute.spring.tracing.FlagBaggageFilter;
import dev.flagroute.spring.tracing.FlagBaggageWebFilter;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.contextpropagation.reactor.ReactorBaggage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;

/**
 * With Micrometer Tracing, makes each inbound request's flags tracing baggage, named as the codec
 * writes them, and tags the request's span with them (see {@link TracingFlagBaggage}): list the fields in
 * {@code management.tracing.baggage.remote-fields} or {@code .correlation.fields} to propagate them
 * or put them in the MDC. Switched off by {@code flagroute.tracing.enabled=false}.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration(after = FlagRouteAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
    "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration",
    "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
    "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration"})
@ConditionalOnClass(Tracer.class)
@ConditionalOnBooleanProperty(name = {"flagroute.enabled", "flagroute.tracing.enabled"}, matchIfMissing = true)
@ConditionalOnBean({FlagRouter.class, Tracer.class})
public class FlagRouteTracingAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteTracingAutoConfiguration() {}

  /** The flags as baggage of the application's tracer, named after the router's codec. */
  @Bean
  @ConditionalOnMissingBean
  public TracingFlagBaggage flagBaggage(Tracer tracer, FlagRouter router) {
    return new TracingFlagBaggage(tracer, router.codec());
  }

  /** Servlet applications: a filter right after the routing filter. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(Filter.class)
  @ConditionalOnBooleanProperty(name = "flagroute.servlet.enabled", matchIfMissing = true)
  static class Servlet {
    @Bean
    @ConditionalOnMissingBean(name = "flagBaggageFilterRegistration")
    FilterRegistrationBean<FlagBaggageFilter> flagBaggageFilterRegistration(TracingFlagBaggage baggage,
        FlagRouteProperties properties) {
      FilterRegistrationBean<FlagBaggageFilter> registration = new FilterRegistrationBean<>(new FlagBaggageFilter(baggage));
      registration.setName("flagBaggageFilter");
      registration.setOrder(properties.servlet().order() + 1);
      registration.setUrlPatterns(properties.servlet().urlPatterns());
      registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
      registration.setAsyncSupported(true);
      return registration;
    }
  }

  /** WebFlux applications: a WebFilter right after the routing WebFilter. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass({WebFilter.class, ReactorBaggage.class})
  @ConditionalOnBooleanProperty(name = "flagroute.webflux.enabled", matchIfMissing = true)
  static class Reactive {
    @Bean
    @ConditionalOnMissingBean
    FlagBaggageWebFilter flagBaggageWebFilter(TracingFlagBaggage baggage, Tracer tracer, FlagRouteProperties properties) {
      return new FlagBaggageWebFilter(baggage, tracer, properties.webflux().order() + 1);
    }
  }
}
