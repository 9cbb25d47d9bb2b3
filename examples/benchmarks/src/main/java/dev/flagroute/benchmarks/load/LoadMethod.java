package dev.flagroute.benchmarks.load;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The unary method the gRPC load test calls, {@code <service>/Call}, with raw bytes as request and
 * response (no generated code: the payload is a few bytes either way), the ordinary metadata each
 * call carries, and the targets the server announces: {@code grpc://127.0.0.1:<port>/<service>}.
 * {@code GrpcCallBenchmark} calls the same method in process.
 */
public final class LoadMethod {
  /** The service served without flagroute. */
  static final String PLAIN_SERVICE = "load.Plain";
  /** The service served behind flagroute's server interceptor. */
  static final String FLAGGED_SERVICE = "load.Flagged";

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try (stream) {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private LoadMethod() {}

  /** The {@code Call} method of {@code service}. */
  public static MethodDescriptor<byte[], byte[]> of(String service) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Call"))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** The five ordinary metadata entries every call of the load test and of the JMH call carries. */
  public static Metadata ordinaryMetadata() {
    Metadata metadata = new Metadata();
    put(metadata, "x-user-id", "user-4711");
    put(metadata, "x-country", "de");
    put(metadata, "x-plan", "pro");
    put(metadata, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    put(metadata, "x-request-id", "8c1b8f4e-0e6f-4d7b-9a57-3c6c0f1b2d44");
    return metadata;
  }

  /** Puts the ASCII entry {@code key}: {@code value} into {@code metadata}. */
  public static void put(Metadata metadata, String key, String value) {
    metadata.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
  }

  /** The target naming {@code service} on {@code port} of loopback. */
  static String target(int port, String service) {
    return "grpc://127.0.0.1:" + port + "/" + service;
  }

  /** The method a target names. */
  static MethodDescriptor<byte[], byte[]> methodOf(URI target) {
    return of(target.getPath().substring(1));
  }
}
