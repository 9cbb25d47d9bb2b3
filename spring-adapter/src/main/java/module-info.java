/**
 * The flagroute Spring Boot 4 starter: auto-configuration of the router from {@code flagroute.*}
 * properties, inbound routing for Spring MVC (the servlet filter) and WebFlux, stamping for
 * RestClient, RestTemplate, WebClient, OpenFeign and gRPC clients, context propagation, Micrometer
 * metrics (per-variant health and the rollout guard included) and tracing, flags on OpenTelemetry
 * spans (with flagroute-opentelemetry), health and the {@code flagroute} actuator endpoint.
 *
 * <p>The API packages: {@code dev.flagroute.spring.autoconfigure} (the auto-configurations and
 * {@code FlagRouteProperties}), {@code dev.flagroute.spring.reactive} ({@code FlagReactorContext},
 * {@code FlagRoutingWebFilter}, {@code FlagStampingExchangeFilter}, {@code
 * ReactiveTargetingKeySource}), {@code dev.flagroute.spring.http}, {@code
 * dev.flagroute.spring.context}, {@code dev.flagroute.spring.diagnostics} (start-up failures), {@code
 * dev.flagroute.spring.feign}, {@code
 * dev.flagroute.spring.health}, {@code dev.flagroute.spring.metrics}, {@code
 * dev.flagroute.spring.tracing} and {@code dev.flagroute.spring.actuate}. Each optional integration needs its library, as on the class path.
 */
@SuppressWarnings({"exports", "requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.spring {
  requires transitive dev.flagroute.core;
  requires org.slf4j;
  requires org.yaml.snakeyaml;
  requires transitive spring.beans;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.context;
  requires transitive spring.core;
  requires static context.propagation;
  requires static dev.flagroute.grpc;
  requires static dev.flagroute.opentelemetry;
  requires static io.opentelemetry.api;
  requires static dev.flagroute.servlet;
  requires static feign.core;
  requires static io.grpc;
  requires static jakarta.servlet;
  requires static micrometer.core;
  requires static micrometer.tracing;
  requires static reactor.core;
  requires static spring.boot.actuator;
  requires static spring.boot.actuator.autoconfigure;
  requires static spring.boot.health;
  requires static spring.boot.restclient;
  requires static spring.boot.web.server;
  requires static spring.boot.webclient;
  requires static spring.web;
  requires static spring.webflux;

  exports dev.flagroute.spring.actuate;
  exports dev.flagroute.spring.autoconfigure;
  exports dev.flagroute.spring.context;
  exports dev.flagroute.spring.diagnostics;
  exports dev.flagroute.spring.feign;
  exports dev.flagroute.spring.health;
  exports dev.flagroute.spring.http;
  exports dev.flagroute.spring.metrics;
  exports dev.flagroute.spring.reactive;
  exports dev.flagroute.spring.tracing;

  opens dev.flagroute.spring.autoconfigure to spring.beans, spring.context, spring.core;
  opens dev.flagroute.spring.diagnostics to spring.core;
  opens dev.flagroute.spring.actuate to spring.beans, spring.boot.actuator, spring.core;

  provides io.micrometer.context.ThreadLocalAccessor with dev.flagroute.spring.context.FlagContextAccessor;
}
