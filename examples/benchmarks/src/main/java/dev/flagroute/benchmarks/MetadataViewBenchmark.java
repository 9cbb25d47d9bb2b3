package dev.flagroute.benchmarks;

import dev.flagroute.grpc.FlagServerInterceptor;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A relay's gRPC server interceptor on a call carrying {@code keys} metadata keys besides the ten
 * flags: ordinary keys, or flag-like ones ({@code x-flag-junk<n>}) that the application must not
 * see. Each operation copies the call's metadata first (the interceptor changes it), and the
 * baseline is that copy alone, so the ratio is what flagroute adds per call, and how it grows with
 * the metadata: linearly, one pass however many keys it hides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MetadataViewBenchmark {
  private static final MethodDescriptor.Marshaller<String> STRING = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      return "";
    }
  };
  private static final MethodDescriptor<String, String> METHOD = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("flagroute.Bench/Call")
      .setRequestMarshaller(STRING).setResponseMarshaller(STRING).build();

  /** Metadata keys besides the flags. */
  @Param({"10", "10000"})
  public int keys;

  /** {@code plain} keys, or {@code flag}-like ones to hide. */
  @Param({"plain", "flag"})
  public String kind;

  private final FlagServerInterceptor relay = FlagServerInterceptor.builder(
      FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY).build()).build();
  private final ServerCall<String, String> call = new IdleCall();
  private final ServerCallHandler<String, String> next = (call, headers) -> new ServerCall.Listener<>() {};
  private final Metadata template = new Metadata();

  /** The call's metadata: the ten stamped flags and the other keys. */
  @Setup
  public void metadata() {
    for (int i = 0; i < Fixtures.KEYS.length; i++) {
      template.put(Metadata.Key.of(Fixtures.flagHeader(i), Metadata.ASCII_STRING_MARSHALLER),
          Fixtures.stampedVariant(i));
    }
    for (int i = 0; i < keys; i++) {
      template.put(Metadata.Key.of(("flag".equals(kind) ? "x-flag-junk" : "x-other-") + i,
          Metadata.ASCII_STRING_MARSHALLER), "v" + i);
    }
  }

  /** The baseline: copying the metadata. */
  @Benchmark
  public Metadata baselineCopy() {
    Metadata headers = new Metadata();
    headers.merge(template);
    return headers;
  }

  /** The copy, then the relay's interceptor: routing and the application's view of the metadata. */
  @Benchmark
  public ServerCall.Listener<String> flagrouteRelay() {
    Metadata headers = new Metadata();
    headers.merge(template);
    return relay.interceptCall(call, headers, next);
  }

  /** A call that is never answered. */
  private static final class IdleCall extends ServerCall<String, String> {
    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(String message) {}

    @Override
    public void close(Status status, Metadata trailers) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public MethodDescriptor<String, String> getMethodDescriptor() {
      return METHOD;
    }
  }
}
