/**
 * flagroute for gRPC: {@code FlagServerInterceptor} routes every inbound call and makes its flags
 * current in {@code io.grpc.Context}; {@code FlagClientInterceptor} stamps the current flags on
 * outgoing calls; without a mesh, {@code VersionRoutingChannel} sends each call to the version its
 * flags route to; {@code GrpcFlagContext} and {@code EvaluationContextFunction} complete the API.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.grpc {
  requires transitive dev.flagroute.core;
  requires transitive io.grpc;
  requires org.slf4j;

  exports dev.flagroute.grpc;
}
