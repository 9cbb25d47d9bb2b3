package dev.flagroute.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.context.FlagContext;
import dev.flagroute.grpc.GrpcTestKit.Transport;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile or broken flag metadata is dropped and counted; the call always succeeds. */
class BadMetadataTest {
  private final GrpcTestKit kit = new GrpcTestKit();

  @AfterEach
  void shutDown() throws InterruptedException {
    kit.close();
  }

  private static Metadata.Key<String> ascii(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  private static Arguments bad(String what, HeaderCodec codec, HeaderLimits limits, Consumer<Metadata> headers,
      Map<String, String> relayed, DropReason reason, int drops) {
    return Arguments.of(what, codec, limits, headers, relayed, reason, drops);
  }

  static Stream<Arguments> badMetadata() {
    HeaderCodec perFlag = HeaderCodec.perFlag();
    HeaderLimits limits = HeaderLimits.DEFAULT;
    return Stream.of(
        bad("binary twin of a flag key", perFlag, limits,
            m -> m.put(Metadata.Key.of("x-flag-checkout-bin", Metadata.BINARY_BYTE_MARSHALLER),
                "v2".getBytes(StandardCharsets.US_ASCII)),
            Map.of(), DropReason.MALFORMED, 1),
        bad("binary twin next to a good value", perFlag, limits, m -> {
          m.put(Metadata.Key.of("x-flag-search-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {0, (byte) 0xff});
          m.put(ascii("x-flag-search"), "on");
        }, Map.of("search", "on"), DropReason.MALFORMED, 1),
        bad("invalid characters", perFlag, limits, m -> m.put(ascii("x-flag-checkout"), "v2;drop"),
            Map.of(), DropReason.INVALID_VALUE, 1),
        bad("empty value", perFlag, limits, m -> m.put(ascii("x-flag-checkout"), ""),
            Map.of(), DropReason.EMPTY_VALUE, 1),
        bad("sent twice", perFlag, limits, m -> {
          m.put(ascii("x-flag-checkout"), "v2");
          m.put(ascii("x-flag-checkout"), "v3");
        }, Map.of(), DropReason.DUPLICATE, 1),
        bad("value too long", perFlag, limits, m -> m.put(ascii("x-flag-checkout"), "v".repeat(300)),
            Map.of(), DropReason.VALUE_TOO_LONG, 1),
        bad("unknown flag with an illegal key", perFlag, limits, m -> {
          m.put(ascii("x-flag-no_pe"), "on");
          m.put(ascii("x-flag-search"), "on");
        }, Map.of("search", "on"), DropReason.INVALID_KEY, 1),
        bad("too many flags", perFlag, new HeaderLimits(1, 256, 8192), m -> {
          m.put(ascii("x-flag-checkout"), "v2");
          m.put(ascii("x-flag-search"), "on");
        }, Map.of("checkout", "v2"), DropReason.TOO_MANY_FLAGS, 1),
        bad("combined header too long", HeaderCodec.combined(), limits,
            m -> m.put(ascii("x-flags"), "checkout=v2," + "x".repeat(9000)),
            Map.of(), DropReason.HEADER_TOO_LONG, 1),
        bad("combined member malformed", HeaderCodec.combined(), limits,
            m -> m.put(ascii("x-flags"), "checkout,search=on"),
            Map.of("search", "on"), DropReason.MALFORMED, 1),
        bad("baggage value percent-encoded (read as written, as the mesh matches it)", HeaderCodec.baggage(), limits,
            m -> m.put(ascii("baggage"), "flag.checkout=v%32,tenant=acme"),
            Map.of(), DropReason.INVALID_VALUE, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMetadata")
  void isDroppedCountedAndNeverFailsTheCall(String what, HeaderCodec codec, HeaderLimits limits,
      Consumer<Metadata> headers, Map<String, String> relayed, DropReason reason, int drops) throws Exception {
    RoutingCounters counters = new RoutingCounters();
    FlagRouter router = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY)
        .codec(codec).limits(limits).listener(counters).reportForeignHeaders(true).build();
    RecordingHandler handler = new RecordingHandler(MethodType.UNARY);
    Server server = kit.server(Transport.IN_PROCESS, kit.executor("server", 1), handler.service(),
        FlagServerInterceptor.builder(router).build());
    ManagedChannel channel = kit.channel(Transport.IN_PROCESS, server);
    Metadata metadata = new Metadata();
    headers.accept(metadata);

    String reply = GrpcTestKit.unary(channel, metadata, "m");

    Map<String, String> expected = new LinkedHashMap<>(TestFlags.defaults());
    expected.putAll(relayed);
    FlagContext.Builder context = FlagContext.builder(TestFlags.ROUTES);
    expected.forEach(context::relayed);
    assertThat(reply).isEqualTo("halfClose " + context.build().variants());
    assertThat(counters.dropped(reason)).isEqualTo(drops);
    assertThat(counters.dropped()).isEqualTo(drops);
    assertThat(counters.decisions()).isEqualTo(1);
  }

  @Test
  void unknownVariantsAndFlagsAreCarriedNotDropped() throws Exception {
    RoutingCounters counters = new RoutingCounters();
    FlagRouter router = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).listener(counters).build();
    RecordingHandler handler = new RecordingHandler(MethodType.UNARY);
    Server server = kit.server(Transport.IN_PROCESS, kit.executor("server", 1), handler.service(),
        FlagServerInterceptor.builder(router).build());
    Metadata metadata = new Metadata();
    metadata.put(ascii("x-flag-checkout"), "v9");
    metadata.put(ascii("x-flag-nope"), "on");

    String reply = GrpcTestKit.unary(kit.channel(Transport.IN_PROCESS, server), metadata, "m");

    assertThat(reply).contains("checkout=v9");
    assertThat(counters.unknownVariants()).isEqualTo(1);
    assertThat(counters.dropped()).isZero();
  }
}
