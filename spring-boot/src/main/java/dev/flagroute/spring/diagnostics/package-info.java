/**
 * Start-up failures of the starter's configuration:
 * {@link dev.flagroute.spring.diagnostics.FlagRouteConfigurationException} names the property and
 * says what to do, and {@link dev.flagroute.spring.diagnostics.FlagRouteFailureAnalyzer} reports it
 * in Boot's failure analysis. Neither ever shows a secret.
 */
package dev.flagroute.spring.diagnostics;
