/**
 * The starter's auto-configurations and its {@code flagroute.*} properties
 * ({@link dev.flagroute.spring.autoconfigure.FlagRouteProperties}).
 */
package dev.flagroute.spring.autoconfigure;
