/**
 * The Consul format (consul-k8s config entries): ServiceDefaults, ServiceResolvers with a subset
 * per version, and ServiceRouters tried first match first, generated, read and evaluated. Internal.
 */
package dev.flagroute.mesh.internal.consul;
