package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.grpc.FlagClientInterceptor;
import dev.flagroute.spring.http.FlagStampingRequestInterceptor;
import dev.flagroute.spring.reactive.FlagStampingExchangeFilter;
import io.grpc.ClientInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

/** Which outbound clients are customized, when, and how each backs off. */
class OutboundAutoConfigurationTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class,
          FlagRouteHttpClientsAutoConfiguration.class, FlagRouteGrpcAutoConfiguration.class,
          RestClientAutoConfiguration.class, RestTemplateAutoConfiguration.class, WebClientAutoConfiguration.class))
      .withPropertyValues(InboundAutoConfigurationTest.RELAY);

  @Test
  void everyClientIsCustomizedByDefault() {
    runner.run(context -> {
      assertThat(context).hasBean("flagRouteRestClientCustomizer").hasBean("flagRouteRestTemplateCustomizer")
          .hasBean("flagRouteWebClientCustomizer").hasSingleBean(FlagClientInterceptor.class);
      FlagStampingRequestInterceptor interceptor = context.getBean(FlagStampingRequestInterceptor.class);
      assertThat(context.getBean(RestTemplateBuilder.class).build().getInterceptors()).containsExactly(interceptor);
      assertThat(context.getBean(ClientInterceptor.class)).isInstanceOf(FlagClientInterceptor.class);
    });
  }

  @Test
  void eachClientIsSwitchedOffByItsProperty() {
    runner.withPropertyValues("flagroute.outbound.rest-client=false").run(context -> assertThat(context)
        .doesNotHaveBean("flagRouteRestClientCustomizer").hasBean("flagRouteRestTemplateCustomizer"));
    runner.withPropertyValues("flagroute.outbound.rest-template=false").run(context -> assertThat(context)
        .doesNotHaveBean("flagRouteRestTemplateCustomizer").hasBean("flagRouteRestClientCustomizer"));
    runner.withPropertyValues("flagroute.outbound.web-client=false").run(context -> assertThat(context)
        .doesNotHaveBean("flagRouteWebClientCustomizer").doesNotHaveBean(FlagStampingExchangeFilter.class));
    runner.withPropertyValues("flagroute.outbound.grpc=false")
        .run(context -> assertThat(context).doesNotHaveBean(FlagClientInterceptor.class));
    runner.withPropertyValues("flagroute.enabled=false").run(context -> assertThat(context)
        .doesNotHaveBean(FlagStampingRequestInterceptor.class).doesNotHaveBean(FlagStampingExchangeFilter.class)
        .doesNotHaveBean(FlagClientInterceptor.class));
  }

  @Test
  void eachClientNeedsItsClasses() {
    runner.withClassLoader(new FilteredClassLoader(RestClientCustomizer.class, WebClient.class, WebClientCustomizer.class,
        ClientInterceptor.class)).run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean("flagRouteRestClientCustomizer").hasBean("flagRouteRestTemplateCustomizer")
            .doesNotHaveBean("flagRouteWebClientCustomizer").doesNotHaveBean(FlagClientInterceptor.class));
  }

  @Test
  void theApplicationsOwnInterceptorsAreUsedInstead() {
    HeaderCodec codec = HeaderCodec.combined();
    FlagStampingRequestInterceptor own = new FlagStampingRequestInterceptor(codec);
    FlagStampingExchangeFilter ownFilter = new FlagStampingExchangeFilter(codec);
    FlagClientInterceptor ownGrpc = FlagClientInterceptor.create(codec);
    runner.withBean(FlagStampingRequestInterceptor.class, () -> own)
        .withBean(FlagStampingExchangeFilter.class, () -> ownFilter)
        .withBean(FlagClientInterceptor.class, () -> ownGrpc)
        .run(context -> {
          assertThat(context.getBean(RestTemplateBuilder.class).build().getInterceptors()).containsExactly(own);
          assertThat(context.getBean(FlagStampingExchangeFilter.class)).isSameAs(ownFilter);
          assertThat(context.getBean(FlagClientInterceptor.class)).isSameAs(ownGrpc);
        });
  }

  @Test
  void theApplicationsOwnCustomizerNamesReplaceOurs() {
    RestClientCustomizer own = builder -> {};
    runner.withBean("flagRouteRestClientCustomizer", RestClientCustomizer.class, () -> own)
        .run(context -> assertThat(context.getBean("flagRouteRestClientCustomizer")).isSameAs(own));
  }
}
