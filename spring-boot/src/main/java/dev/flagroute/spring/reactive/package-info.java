/**
 * flagroute for WebFlux: {@link dev.flagroute.spring.reactive.FlagRoutingWebFilter} routes each
 * exchange, {@link dev.flagroute.spring.reactive.FlagReactorContext} reads the flags from the
 * Reactor context, {@link dev.flagroute.spring.reactive.FlagStampingExchangeFilter} stamps
 * WebClient calls and {@link dev.flagroute.spring.reactive.ReactiveTargetingKeySource} reads an
 * exchange's targeting key.
 */
package dev.flagroute.spring.reactive;
