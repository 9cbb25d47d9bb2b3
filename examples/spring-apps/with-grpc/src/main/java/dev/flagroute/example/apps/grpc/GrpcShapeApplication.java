package dev.flagroute.example.apps.grpc;

import dev.flagroute.context.FlagContext;
import dev.flagroute.example.apps.ShapeFlags;
import dev.flagroute.grpc.FlagClientInterceptor;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A Spring MVC edge that calls a gRPC service downstream through the starter's client interceptor. */
@SpringBootApplication
public class GrpcShapeApplication {
  /** The downstream's one method: a unary call of strings. */
  public static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("shapes.Reviews", "Echo"))
      .setRequestMarshaller(Utf8.MARSHALLER)
      .setResponseMarshaller(Utf8.MARSHALLER)
      .build();

  /** Runs the application. */
  public static void main(String[] args) {
    SpringApplication.run(GrpcShapeApplication.class, args);
  }

  @Bean
  OpenFeatureAPI openFeatureApi() {
    return ShapeFlags.api();
  }

  @Bean(destroyMethod = "shutdownNow")
  ManagedChannel reviewsChannel(@Value("${reviews.in-process-name}") String name, FlagClientInterceptor flags) {
    return InProcessChannelBuilder.forName(name).intercept(flags).build();
  }

  /** {@code /checkout}: this hop's variant and the one the gRPC downstream received. */
  @RestController
  static class Checkout {
    private final ManagedChannel reviews;

    Checkout(ManagedChannel reviews) {
      this.reviews = reviews;
    }

    @GetMapping("/checkout")
    String checkout() {
      String received = ClientCalls.blockingUnaryCall(reviews, ECHO, CallOptions.DEFAULT, "checkout");
      return "local=" + FlagContext.current().variant("checkout") + ",downstream=" + received;
    }
  }

  /** Strings as UTF-8 messages. */
  static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    static final Utf8 MARSHALLER = new Utf8();

    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
