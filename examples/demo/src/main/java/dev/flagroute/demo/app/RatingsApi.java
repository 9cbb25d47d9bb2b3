package dev.flagroute.demo.app;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The ratings gRPC API, written by hand without protoc: one unary method {@code demo.Ratings/Get}
 * taking a product id and answering with the {@link Trace} line of the ratings hop.
 */
public final class RatingsApi {
  /** The gRPC service name. */
  public static final String SERVICE = "demo.Ratings";

  /** {@code demo.Ratings/Get}: product id in, hop line out, both UTF-8 text. */
  public static final MethodDescriptor<String, String> GET = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Get"))
      .setRequestMarshaller(Utf8.INSTANCE)
      .setResponseMarshaller(Utf8.INSTANCE)
      .build();

  private RatingsApi() {}

  /** Ratings {@code version}: answers every call with its hop, seeing the call's flags. */
  public static ServerServiceDefinition service(String version) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(GET, ServerCalls.asyncUnaryCall((product, reply) -> {
          reply.onNext(Trace.hopLine(Hop.here("ratings", version)));
          reply.onCompleted();
        }))
        .build();
  }

  /** Messages as UTF-8 text, at most 64 KiB. */
  private enum Utf8 implements MethodDescriptor.Marshaller<String> {
    INSTANCE;

    private static final int MAX_BYTES = 64 * 1024;

    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        byte[] bytes = stream.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
          throw new IllegalArgumentException("message larger than " + MAX_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
