/**
 * Istio ambient mode: Gateway API routes enforced by the destination's waypoint, the waypoint
 * {@code Gateway} itself, and the labels that bind routed Services to it. Internal to flagroute-mesh.
 */
package dev.flagroute.mesh.internal.ambient;
