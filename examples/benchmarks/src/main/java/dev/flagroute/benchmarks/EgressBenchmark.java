package dev.flagroute.benchmarks;

import dev.flagroute.codec.MeshHosts;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The egress guard's check, {@code MeshHosts.allows}, once per outbound call, with the Kubernetes
 * defaults, for the hosts calls go to (a full cluster name, a single label, an outside name, a pod
 * IP and a loopback IPv6 literal), against a {@code HashSet.contains} of the same host (the
 * baseline: the cheapest lookup a host list could be).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EgressBenchmark {
  private final MeshHosts hosts = MeshHosts.kubernetes();
  private final Set<String> known = Set.of("reviews.shop.svc.cluster.local", "reviews", "localhost");

  /** The host of the call. */
  @Param({"reviews.shop.svc.cluster.local", "reviews", "api.partner.example.com", "10.42.0.7", "::1"})
  public String host;

  /** The check. */
  @Benchmark
  public boolean flagrouteAllows() {
    return hosts.allows(host);
  }

  /** The baseline: one hash-set lookup of the same host. */
  @Benchmark
  public boolean baselineHashSetContains() {
    return known.contains(host);
  }
}
