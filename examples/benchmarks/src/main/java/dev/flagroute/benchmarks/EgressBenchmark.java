package dev.flagroute.benchmarks;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import java.util.HashMap;
import java.util.Map;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The egress guard's cost on an outbound call: stamping the ten flags onto a new request's headers
 * with the router's codec after its egress check ({@code codec.allowsEgress(host)}, the Kubernetes
 * defaults), as the OkHttp and java.net.http stampers do, against the same stamp without the check.
 * The difference of the two is the check's cost per call. The hosts are of each kind calls go to: a
 * full cluster name, a single label, a {@code *.svc} name, an outside name, a pod IP, a loopback
 * IPv4 and a loopback IPv6 literal. A stamper stamps nothing for a host outside the mesh; here both
 * methods stamp for every host, so that they differ by the check alone.
 *
 * <p>The host is a new string per call (a copy of the parameter), as each call's URL parses its own;
 * both methods make it and hand it to the blackhole, so that they allocate the same for it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EgressBenchmark {
  /** The codec as the stampers use it: the router's, bound to its routes, with the default mesh hosts. */
  private final HeaderCodec codec = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY).build().codec();
  private final FlagContext flags;
  private char[] hostChars;

  /** The host of the call. */
  @Param({"reviews.shop.svc.cluster.local", "reviews", "reviews.shop.svc", "api.partner.example.com", "10.42.0.7",
      "127.0.0.1", "::1"})
  public String host;

  /** Builds the ten-flag context. */
  public EgressBenchmark() {
    FlagContext.Builder builder = FlagContext.builder(Fixtures.ROUTES);
    for (int i = 0; i < Fixtures.KEYS.length; i++) {
      builder.relayed(Fixtures.KEYS[i], Fixtures.stampedVariant(i));
    }
    flags = builder.build();
  }

  /** Keeps the host's characters for the copies. */
  @Setup
  public void setUp() {
    hostChars = host.toCharArray();
  }

  private String host() {
    return new String(hostChars);
  }

  /** The baseline: the stamp of the ten flags onto a new carrier, no check. */
  @Benchmark
  public Map<String, String> baselineStamp(Blackhole blackhole) {
    blackhole.consume(host());
    Map<String, String> carrier = new HashMap<>();
    codec.inject(flags, carrier, HeaderSetter.forMap());
    return carrier;
  }

  /** The egress check, then the same stamp. */
  @Benchmark
  public Map<String, String> checkedStamp(Blackhole blackhole) {
    String called = host();
    blackhole.consume(called);
    blackhole.consume(codec.allowsEgress(called));
    Map<String, String> carrier = new HashMap<>();
    codec.inject(flags, carrier, HeaderSetter.forMap());
    return carrier;
  }
}
