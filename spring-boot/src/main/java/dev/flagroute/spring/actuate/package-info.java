/** The {@code flagroute} actuator endpoint: {@link dev.flagroute.spring.actuate.FlagRouteEndpoint}. */
package dev.flagroute.spring.actuate;
