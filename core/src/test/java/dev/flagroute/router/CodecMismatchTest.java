package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.Source;
import dev.flagroute.observe.CodecMismatch;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.support.MutableClock;
import dev.flagroute.support.TestRoutes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A relay that receives flags written by another codec or prefix than its own does not read them
 * (the mesh routes by one codec) but reports it: the listener, a count on the router for health,
 * and one warning a minute naming both codecs.
 */
class CodecMismatchTest {
  private final RoutingCounters counters = new RoutingCounters();

  static Stream<Arguments> mismatches() {
    return Stream.of(
        Arguments.of(HeaderCodec.perFlag(), Map.of("x-flags", "checkout=v2"), "HeaderCodec.combined(x-flags)"),
        Arguments.of(HeaderCodec.perFlag(), Map.of("baggage", "a=1, flag.checkout=v2"),
            "HeaderCodec.baggage(flag.)"),
        Arguments.of(HeaderCodec.combined(), Map.of("X-Flag-Checkout", "v2"), "HeaderCodec.perFlag(x-flag-)"),
        Arguments.of(HeaderCodec.baggage(), Map.of("x-flag-checkout", "v2"), "HeaderCodec.perFlag(x-flag-)"),
        Arguments.of(HeaderCodec.baggage(), Map.of("x-flags", "checkout=v2"), "HeaderCodec.combined(x-flags)"),
        Arguments.of(HeaderCodec.perFlag("x-ff-"), Map.of("x-flag-checkout", "v2"), "HeaderCodec.perFlag(x-flag-)"),
        Arguments.of(HeaderCodec.baggage("ff."), Map.of("baggage", "flag.checkout=v2"), "HeaderCodec.baggage(flag.)"),
        Arguments.of(HeaderCodec.combined("my-flags"), Map.of("x-flags", "checkout=v2"),
            "HeaderCodec.combined(x-flags)"));
  }

  @ParameterizedTest
  @MethodSource("mismatches")
  void aRelayReportsFlagsOfAnotherCodecAndDoesNotReadThem(HeaderCodec own, Map<String, String> headers,
      String received) {
    FlagRouter relay = relay(own, Clock.SYSTEM);

    FlagContext flags = relay.route(headers, HeaderGetter.forMap());

    assertThat(flags.decision("checkout").source()).isEqualTo(Source.DEFAULT);
    assertThat(counters.codecMismatches()).isEqualTo(1);
    assertThat(relay.codecMismatches()).isEqualTo(1);
    CodecMismatch mismatch = relay.lastCodecMismatch().orElseThrow();
    assertThat(mismatch.expected()).isEqualTo(own.toString());
    assertThat(mismatch.received()).isEqualTo(received);
    assertThat(mismatch.header()).isEqualTo(headers.keySet().iterator().next().toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void nothingIsReportedForTheRelaysOwnCodecOrForHeadersNoCodecWrites() {
    FlagRouter perFlag = relay(HeaderCodec.perFlag(), Clock.SYSTEM);
    perFlag.route(Map.of("x-flag-checkout", "v2", "baggage", "userid=7,flagged=1", "x-flagroute-shadow", "1",
        "x-flagsx", "1"), HeaderGetter.forMap());
    relay(HeaderCodec.baggage(), Clock.SYSTEM).route(Map.of("baggage", "flag.checkout=v2"), HeaderGetter.forMap());
    relay(HeaderCodec.combined(), Clock.SYSTEM).route(Map.of("X-Flags", "checkout=v2"), HeaderGetter.forMap());

    assertThat(counters.codecMismatches()).isZero();
    assertThat(perFlag.lastCodecMismatch()).isEmpty();
  }

  @Test
  void theEdgeReportsNoMismatchSinceEveryInboundFlagHeaderIsUntrusted() {
    FlagRouter edge = FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.EDGE).noCache()
        .client(dev.openfeature.sdk.OpenFeatureAPI.createIsolated().getClient()).listener(counters).build();

    edge.route(Map.of("x-flags", "checkout=v2"), HeaderGetter.forMap());

    assertThat(edge.codecMismatches()).isZero();
    assertThat(counters.codecMismatches()).isZero();
  }

  @Test
  void warnsOnceAMinuteNamingBothCodecs() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    FlagRouter relay = relay(HeaderCodec.baggage(), new Clock(clock));
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 50; i++) {
        relay.route(Map.of("x-flag-checkout", "v2"), HeaderGetter.forMap());
      }
      clock.advance(Duration.ofMinutes(1));
      relay.route(Map.of("x-flag-checkout", "v2"), HeaderGetter.forMap());
    } finally {
      System.setErr(original);
    }
    List<String> warnings = log.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.contains("WARN") && line.contains("codec")).toList();
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).contains("HeaderCodec.baggage(flag.)").contains("HeaderCodec.perFlag(x-flag-)")
        .contains("'x-flag-checkout'");
    assertThat(counters.codecMismatches()).isEqualTo(51);
  }

  private FlagRouter relay(HeaderCodec codec, Clock clock) {
    FlagRouter.Builder builder = FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.RELAY).codec(codec)
        .listener(counters);
    if (clock.clock != null) {
      builder.clock(clock.clock);
    }
    return builder.build();
  }

  /** A clock to build with, or none (the system's). */
  private record Clock(java.time.Clock clock) {
    static final Clock SYSTEM = new Clock(null);
  }
}
