/**
 * The Gateway API format (GAMMA mesh mode): per-version Services and HTTPRoutes/GRPCRoutes,
 * generated, read and evaluated by the specification's precedence. Internal.
 */
package dev.flagroute.mesh.internal.gateway;
