/**
 * The SMI format (Service Mesh Interface v1alpha4): per-version Services, the root Service, an
 * HTTPRouteGroup and a TrafficSplit per service, generated where the specification defines the
 * outcome, read and evaluated. Internal.
 */
package dev.flagroute.mesh.internal.smi;
