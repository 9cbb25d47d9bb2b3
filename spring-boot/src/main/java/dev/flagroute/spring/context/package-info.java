/**
 * The current flags for Micrometer context propagation:
 * {@link dev.flagroute.spring.context.FlagContextAccessor}, a {@code ThreadLocalAccessor}.
 */
package dev.flagroute.spring.context;
