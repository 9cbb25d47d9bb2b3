/**
 * Outbound stamping for OpenFeign clients:
 * {@link dev.flagroute.spring.feign.FlagStampingFeignInterceptor}.
 */
package dev.flagroute.spring.feign;
