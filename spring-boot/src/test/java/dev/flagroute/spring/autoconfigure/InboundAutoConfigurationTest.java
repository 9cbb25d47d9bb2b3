package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.servlet.FlagRoutingFilter;
import dev.flagroute.servlet.TargetingKeySource;
import dev.flagroute.spring.diagnostics.FlagRouteConfigurationException;
import dev.flagroute.spring.reactive.FlagRoutingWebFilter;
import dev.flagroute.spring.reactive.ReactiveTargetingKeySource;
import jakarta.servlet.DispatcherType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.HttpCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/** Which inbound adapter is registered, when, and how each backs off. */
class InboundAutoConfigurationTest {
  static final AutoConfigurations INBOUND = AutoConfigurations.of(FlagRouteAutoConfiguration.class,
      FlagRouteServletAutoConfiguration.class, FlagRouteWebFluxAutoConfiguration.class);
  static final String[] RELAY = Stream.concat(Stream.of("flagroute.mode=relay"),
      Stream.of(FlagRouteAutoConfigurationTest.CHECKOUT)).toArray(String[]::new);

  final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
      .withConfiguration(INBOUND).withPropertyValues(RELAY);
  final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
      .withConfiguration(INBOUND).withPropertyValues(RELAY);

  @Test
  void servletApplicationsGetTheFilterEarlyOnEveryDispatch() {
    servlet.withPropertyValues("flagroute.servlet.order=-7", "flagroute.skip-actuator=false").run(context -> {
      assertThat(context).doesNotHaveBean(FlagRoutingWebFilter.class);
      FilterRegistrationBean<?> registration = context.getBean("flagRoutingFilterRegistration", FilterRegistrationBean.class);
      assertThat(registration.getFilter()).isInstanceOf(FlagRoutingFilter.class);
      assertThat(registration.getFilterName()).isEqualTo("flagRoutingFilter");
      assertThat(registration.getOrder()).isEqualTo(-7);
      assertThat(registration.getUrlPatterns()).containsExactly("/*");
      assertThat(registration.isAsyncSupported()).isTrue();
      assertThat(registration.determineDispatcherTypes()).containsExactlyInAnyOrder(DispatcherType.values());
    });
  }

  @Test
  void reactiveApplicationsGetTheWebFilter() {
    reactive.withPropertyValues("flagroute.webflux.order=-7").run(context -> {
      assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
      assertThat(context.getBean(FlagRoutingWebFilter.class).getOrder()).isEqualTo(-7);
    });
  }

  @Test
  void nonWebApplicationsGetNeither() {
    new ApplicationContextRunner().withConfiguration(INBOUND).withPropertyValues(RELAY).run(context -> {
      assertThat(context).hasSingleBean(FlagRouter.class);
      assertThat(context).doesNotHaveBean(FilterRegistrationBean.class).doesNotHaveBean(FlagRoutingWebFilter.class);
    });
  }

  @Test
  void eachIsSwitchedOffByItsProperty() {
    servlet.withPropertyValues("flagroute.servlet.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
    reactive.withPropertyValues("flagroute.webflux.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagRoutingWebFilter.class));
    servlet.withPropertyValues("flagroute.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
    reactive.withPropertyValues("flagroute.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FlagRoutingWebFilter.class));
  }

  @Test
  void eachNeedsItsClasses() {
    servlet.withClassLoader(new FilteredClassLoader(FlagRoutingFilter.class)).withPropertyValues("flagroute.servlet.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
    servlet.withClassLoader(new FilteredClassLoader(FlagRoutingFilter.class))
        .run(context -> assertThat(context).getFailure().rootCause().isInstanceOf(FlagRouteConfigurationException.class)
            .hasMessageContaining("flagroute-servlet is not on the class path"));
    reactive.withClassLoader(new FilteredClassLoader(Mono.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagRoutingWebFilter.class));
  }

  @Test
  void backOffWhenTheApplicationRegistersItsOwnFilter() {
    FlagRouter router = FlagRouter.builder(FlagRoutes.empty()).mode(RoutingMode.RELAY).build();
    FlagRoutingFilter own = FlagRoutingFilter.builder(router).build();
    servlet.withBean("ownFilter", FlagRoutingFilter.class, () -> own)
        .run(context -> assertThat(context).doesNotHaveBean("flagRoutingFilterRegistration"));
    FlagRoutingWebFilter ownWebFilter = new FlagRoutingWebFilter(router, ReactiveTargetingKeySource.none(), 0);
    reactive.withBean(FlagRoutingWebFilter.class, () -> ownWebFilter)
        .run(context -> assertThat(context.getBean(FlagRoutingWebFilter.class)).isSameAs(ownWebFilter));
  }

  @Test
  void targetingKeySourcesFollowThePropertiesAndBackOff() {
    reactive.withPropertyValues("flagroute.targeting-key.source=cookie", "flagroute.targeting-key.name=uid")
        .run(context -> {
          var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/").cookie(
              new HttpCookie("uid", "beta-9")));
          assertThat(context.getBean(ReactiveTargetingKeySource.class).targetingKey(exchange).block())
              .isEqualTo("beta-9");
        });
    TargetingKeySource own = request -> "fixed";
    servlet.withBean(TargetingKeySource.class, () -> own)
        .run(context -> assertThat(context.getBean(TargetingKeySource.class)).isSameAs(own));
  }
}
