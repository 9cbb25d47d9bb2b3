/**
 * gRPC integration: {@link dev.flagroute.grpc.FlagServerInterceptor} turns inbound metadata into
 * the call's {@link dev.flagroute.context.FlagContext}, current in both {@link io.grpc.Context} and
 * flagroute's own scope for every listener callback; {@link dev.flagroute.grpc.FlagClientInterceptor}
 * stamps the current context on outgoing calls. Flags travel as ASCII metadata with the same names
 * and values as HTTP headers, so one mesh rule routes both protocols. Without a mesh,
 * {@link dev.flagroute.grpc.VersionRoutingChannel} sends each call over the channel of its version.
 */
package dev.flagroute.grpc;
