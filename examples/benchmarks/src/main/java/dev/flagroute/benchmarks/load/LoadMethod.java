package dev.flagroute.benchmarks.load;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The unary method the gRPC load test calls, {@code <service>/Call}, with raw bytes as request and
 * response (no generated code: the payload is a few bytes either way), and the targets the server
 * announces: {@code grpc://127.0.0.1:<port>/<service>}.
 */
final class LoadMethod {
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
  static MethodDescriptor<byte[], byte[]> of(String service) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Call"))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
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
