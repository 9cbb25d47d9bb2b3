/** The Istio format: DestinationRules and VirtualServices, generated, read and evaluated first match first. Internal. */
package dev.flagroute.mesh.internal.istio;
