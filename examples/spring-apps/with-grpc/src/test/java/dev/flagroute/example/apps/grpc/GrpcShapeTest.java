package dev.flagroute.example.apps.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.example.apps.EdgeClient;
import dev.flagroute.example.apps.ShapeFlags;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The shape with gRPC starts on a real port, routes a request, and its gRPC call downstream carries the flags. */
class GrpcShapeTest {
  private static final Metadata.Key<String> CHECKOUT = Metadata.Key.of("x-flag-checkout", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> RECEIVED = Context.key("received");

  @Test
  void startsAndRoutesARequestThroughTheEdgeIntoGrpc() throws IOException {
    String name = InProcessServerBuilder.generateName();
    Server reviews = InProcessServerBuilder.forName(name).directExecutor().addService(echo()).build().start();
    try (ConfigurableApplicationContext app = SpringApplication.run(GrpcShapeApplication.class,
        ShapeFlags.edgeArguments("--reviews.in-process-name=" + name))) {
      int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

      assertThat(EdgeClient.checkout(port, "beta-1", null)).isEqualTo("local=v2,downstream=v2");
      assertThat(EdgeClient.checkout(port, "someone", null)).isEqualTo("local=v1,downstream=v1");
    } finally {
      reviews.shutdownNow();
    }
  }

  /** The downstream: answers with the {@code x-flag-checkout} metadata it received, or {@code none}. */
  private static ServerServiceDefinition echo() {
    ServerServiceDefinition service = ServerServiceDefinition.builder("shapes.Reviews")
        .addMethod(GrpcShapeApplication.ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
          String received = RECEIVED.get();
          response.onNext(received == null ? "none" : received);
          response.onCompleted();
        }))
        .build();
    ServerInterceptor recorder = new ServerInterceptor() {
      @Override
      public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call, Metadata headers,
          io.grpc.ServerCallHandler<Q, A> next) {
        return Contexts.interceptCall(Context.current().withValue(RECEIVED, headers.get(CHECKOUT)), call, headers, next);
      }
    };
    return ServerInterceptors.intercept(service, recorder);
  }
}
