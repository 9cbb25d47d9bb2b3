/**
 * flagroute's Spring Boot 4 auto-configuration (applications depend on
 * {@code flagroute-spring-boot-starter}): the router from {@code flagroute.*} properties, inbound
 * routing for Spring MVC (the servlet filter) and WebFlux, stamping for RestClient, RestTemplate,
 * WebClient, OpenFeign and gRPC clients, context propagation, Micrometer metrics (with
 * flagroute-micrometer) and tracing, flags on OpenTelemetry spans (with flagroute-opentelemetry),
 * health, start-up failure analysis and the {@code flagroute} actuator endpoint.
 *
 * <p>The API packages: {@code dev.flagroute.spring.autoconfigure} (the auto-configurations and
 * {@code FlagRouteProperties}) and {@code dev.flagroute.spring.reactive} ({@code
 * FlagReactorContext}, the request's flags in a Reactor chain, and {@code
 * ReactiveTargetingKeySource}). The other packages hold the beans the auto-configuration creates;
 * they are opened to Spring but not exported. Each optional integration needs its library, as on
 * the class path.
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
  requires static dev.flagroute.micrometer;
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

  exports dev.flagroute.spring.autoconfigure;
  exports dev.flagroute.spring.reactive;

  opens dev.flagroute.spring.autoconfigure to spring.beans, spring.context, spring.core;
  opens dev.flagroute.spring.actuate to spring.beans, spring.boot.actuator, spring.context, spring.core;
  opens dev.flagroute.spring.context to spring.beans, spring.context, spring.core;
  opens dev.flagroute.spring.diagnostics to spring.beans, spring.boot, spring.core;
  opens dev.flagroute.spring.feign to spring.beans, spring.context, spring.core;
  opens dev.flagroute.spring.health to spring.beans, spring.boot.health, spring.context, spring.core;
  opens dev.flagroute.spring.http to spring.beans, spring.context, spring.core;
  opens dev.flagroute.spring.tracing to spring.beans, spring.context, spring.core;

  provides io.micrometer.context.ThreadLocalAccessor with dev.flagroute.spring.context.FlagContextAccessor;
}
