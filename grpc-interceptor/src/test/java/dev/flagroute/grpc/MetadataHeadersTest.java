package dev.flagroute.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.inbound.InboundView;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.routes.FlagRoute;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.api.Test;

/** Reading flag headers from gRPC metadata: ASCII only, repeated values joined, total on any input. */
class MetadataHeadersTest {
  private static final Metadata.Key<String> CHECKOUT =
      Metadata.Key.of("x-flag-checkout", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> CHECKOUT_BIN =
      Metadata.Key.of("x-flag-checkout-bin", Metadata.BINARY_BYTE_MARSHALLER);

  @Test
  void readsAsciiValuesJoinedAsHttpCombinesRepeatedHeaders() {
    Metadata metadata = new Metadata();
    assertThat(MetadataHeaders.GETTER.get(metadata, "x-flag-checkout")).isNull();
    metadata.put(CHECKOUT, "v2");
    assertThat(MetadataHeaders.GETTER.get(metadata, "x-flag-checkout")).isEqualTo("v2");
    metadata.put(CHECKOUT, "v3");
    assertThat(MetadataHeaders.GETTER.get(metadata, "x-flag-checkout")).isEqualTo("v2,v3");
  }

  @Test
  void neverReadsBinaryKeysButListsThem() {
    Metadata metadata = new Metadata();
    metadata.put(CHECKOUT_BIN, "v2".getBytes(StandardCharsets.US_ASCII));
    assertThat(MetadataHeaders.GETTER.get(metadata, "x-flag-checkout-bin")).isNull();
    assertThat(MetadataHeaders.GETTER.get(metadata, "x-flag-checkout")).isNull();
    assertThat(MetadataHeaders.GETTER.names(metadata)).containsExactly("x-flag-checkout-bin");
  }

  @Test
  void namesGrpcCannotCarryAreAbsentNotErrors() {
    Metadata metadata = new Metadata();
    assertThat(MetadataHeaders.GETTER.get(metadata, "x-flag!checkout")).isNull();
    assertThat(MetadataHeaders.asciiKey("x-flag-checkout-bin")).isNull();
    assertThat(MetadataHeaders.asciiKey("x-flag-checkout").name()).isEqualTo("x-flag-checkout");
  }

  /** gRPC keys are lowercase on the wire; a key made in any case reads as the same header. */
  @Property(tries = 300)
  void namesAreReadInAnyCase(@ForAll("metadata") List<Tuple2<String, String>> entries,
      @ForAll("codecs") HeaderCodec codec, @ForAll long seed) {
    java.util.Random random = new java.util.Random(seed);
    List<Tuple2<String, String>> cased = entries.stream().map(e -> Tuple.of(randomCase(e.get1(), random), e.get2()))
        .toList();
    FlagRouter router = TestFlags.relay(codec, RoutingListener.NOOP);

    FlagContext lower = router.route(toMetadata(entries), MetadataHeaders.GETTER);
    FlagContext anyCase = router.route(toMetadata(cased), MetadataHeaders.GETTER);

    assertThat(anyCase).isEqualTo(lower);
    for (Tuple2<String, String> entry : cased) {
      if (!entry.get1().endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        String name = entry.get1().toLowerCase(java.util.Locale.ROOT);
        assertThat(MetadataHeaders.GETTER.get(toMetadata(cased), name))
            .isEqualTo(MetadataHeaders.GETTER.get(toMetadata(entries), name));
      }
    }
  }

  private static String randomCase(String name, java.util.Random random) {
    if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      return name;
    }
    StringBuilder cased = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      cased.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return cased.toString();
  }

  @Provide
  Arbitrary<List<Tuple2<String, String>>> metadata() {
    Arbitrary<String> keys = Arbitraries.oneOf(
        Arbitraries.of("x-flag-checkout", "x-flag-search", "x-flag-cohort", "x-flags", "baggage", "x-user-id",
            "x-flag-checkout-bin", "x-flags-bin", "x-flagroute-override-bin", "x-flagroute-override",
            "baggage-bin", "x-flagroute-shadow-bin"),
        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-_.").ofMinLength(1).ofMaxLength(12)
            .map(s -> "x-flag-" + s));
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.of("v1", "v2", "v3", "on", "off", "c7", " v2 ", "checkout=v2,search=on", "flag.search=on;p=1",
            "flag.cohort=c1%33", ""),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300));
    return Combinators.combine(keys, values).as(Tuple::of).list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage());
  }

  @Property(tries = 500)
  void routingAnyMetadataDecidesEveryFlagWithOneOfItsVariants(
      @ForAll("metadata") List<Tuple2<String, String>> entries, @ForAll("codecs") HeaderCodec codec) {
    Metadata metadata = toMetadata(entries);
    RoutingCounters counters = new RoutingCounters();
    FlagRouter router = TestFlags.relay(codec, counters);

    FlagContext flags = router.route(metadata, MetadataHeaders.GETTER);

    assertThat(flags.size()).isEqualTo(TestFlags.ROUTES.size());
    for (FlagRoute route : TestFlags.ROUTES) {
      FlagDecision decision = flags.decision(route.key());
      assertThat(route.hasVariant(decision.variant()) || decision.isUnknownVariant()
          && RouteNames.isVariant(decision.variant())).as("%s", decision).isTrue();
      assertThat(decision.source()).isIn(Source.RELAYED, Source.DEFAULT);
    }
    assertThat(flags.size() + flags.carried().size()).isLessThanOrEqualTo(Math.max(TestFlags.ROUTES.size(),
        HeaderLimits.DEFAULT.maxFlags()));
    flags.carried().forEach((key, variant) -> assertThat(RouteNames.isVariant(variant)).isTrue());
    assertThat(counters.decisions()).isEqualTo(1);
  }

  @Property(tries = 500)
  void aSingleValidPerFlagValueIsRelayedExactlyAndAnythingElseDefaults(
      @ForAll("metadata") List<Tuple2<String, String>> entries) {
    Metadata metadata = toMetadata(entries);
    List<String> checkout = entries.stream().filter(e -> e.get1().equals("x-flag-checkout")).map(Tuple2::get2).toList();

    FlagContext flags = TestFlags.relay().route(metadata, MetadataHeaders.GETTER);

    boolean valid = checkout.size() == 1 && RouteNames.isVariant(checkout.get(0).strip());
    assertThat(flags.variant("checkout")).isEqualTo(valid ? checkout.get(0).strip() : "v1");
    assertThat(flags.decision("checkout").source()).isEqualTo(valid ? Source.RELAYED : Source.DEFAULT);
    assertThat(flags.decision("checkout").isUnknownVariant())
        .isEqualTo(valid && !TestFlags.ROUTES.get("checkout").hasVariant(checkout.get(0).strip()));
  }

  /**
   * What a relay's application sees of any metadata: each decided flag header of the router's
   * codec exactly once with its decided value (left in place when it already was, rewritten
   * otherwise, repeats included), and no header the view hides.
   */
  @Property(tries = 500)
  void theApplicationSeesEachDecidedHeaderOnceAndNothingHidden(
      @ForAll("metadata") List<Tuple2<String, String>> entries, @ForAll("codecs") HeaderCodec codec) {
    Metadata metadata = toMetadata(entries);
    Metadata inbound = new Metadata();
    inbound.merge(metadata);
    FlagRouter router = TestFlags.relay(codec, RoutingListener.NOOP);
    InboundView view = InboundView.of(router.codec());
    FlagContext flags = router.route(metadata, MetadataHeaders.GETTER);
    Map<String, String> decided = view.decided(flags, name -> MetadataHeaders.GETTER.get(inbound, name));

    Metadata shown = MetadataHeaders.show(view, router.routes(), flags, metadata);

    decided.forEach((name, value) -> assertThat(shown.getAll(MetadataHeaders.asciiKey(name)))
        .as(name).containsExactly(value));
    for (String name : shown.keys()) {
      assertThat(view.treatment(name)).as(name).isNotEqualTo(InboundView.Treatment.HIDE);
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        assertThat(view.treatment(MetadataHeaders.baseName(name))).as("binary form %s", name)
            .isIn(InboundView.Treatment.KEEP, InboundView.Treatment.BAGGAGE);
      }
    }
  }

  /**
   * Reading values in place (few keys read from little metadata) and from a copy of the entries read
   * (the rest) are one view: the same decisions, the same metadata shown, and both the same as the
   * router reading the whole metadata, whatever is sent.
   */
  @Property(tries = 500)
  void readingInPlaceAndFromACopyDecideAndShowTheSame(
      @ForAll("metadata") List<Tuple2<String, String>> entries, @ForAll("codecs") HeaderCodec codec) {
    FlagRouter router = TestFlags.relay(codec, RoutingListener.NOOP);
    InboundView view = InboundView.of(router.codec());
    Set<String> readNames = view.readNames(router.routes());
    FlagContext whole = router.route(toMetadata(entries), MetadataHeaders.GETTER);
    Metadata wholeShown = MetadataHeaders.show(view, router.routes(), whole, toMetadata(entries));

    for (int budget : new int[] {0, Integer.MAX_VALUE}) {
      Metadata metadata = toMetadata(entries);
      FlaggedMetadata flagged = FlaggedMetadata.of(view, readNames, metadata, budget);
      FlagContext flags = router.route(flagged, FlaggedMetadata.READER);
      Metadata shown = MetadataHeaders.show(view, flags, metadata, flagged);

      assertThat(flags).as("budget %d", budget).isEqualTo(whole);
      assertThat(canonical(shown)).as("budget %d", budget).isEqualTo(canonical(wholeShown));
    }
  }

  /**
   * A relay whose caller stamped every flag once, as decided, shows the call's metadata as it came,
   * untouched; one spoofed or repeated entry and the view is rewritten again.
   */
  @Test
  void metadataStampedAsDecidedIsShownAsItCame() {
    FlagRouter router = TestFlags.relay();
    InboundView view = InboundView.of(router.codec());
    Metadata stamped = new Metadata();
    stamped.put(CHECKOUT, "v2");
    stamped.put(Metadata.Key.of("x-flag-search", Metadata.ASCII_STRING_MARSHALLER), "on");
    stamped.put(Metadata.Key.of("x-flag-cohort", Metadata.ASCII_STRING_MARSHALLER), "c3");
    stamped.put(Metadata.Key.of("x-user-id", Metadata.ASCII_STRING_MARSHALLER), "u1");
    Map<String, List<String>> sent = canonical(stamped);
    FlaggedMetadata flagged = FlaggedMetadata.of(view, view.readNames(router.routes()), stamped);

    Metadata shown = MetadataHeaders.show(view, router.route(flagged, FlaggedMetadata.READER), stamped, flagged);

    assertThat(shown).isSameAs(stamped);
    assertThat(canonical(shown)).isEqualTo(sent);

    stamped.put(CHECKOUT, "v3");
    stamped.put(Metadata.Key.of("x-flags", Metadata.ASCII_STRING_MARSHALLER), "checkout=v3");
    flagged = FlaggedMetadata.of(view, view.readNames(router.routes()), stamped);
    shown = MetadataHeaders.show(view, router.route(flagged, FlaggedMetadata.READER), stamped, flagged);
    assertThat(shown.getAll(CHECKOUT)).containsExactly("v1"); // repeated: invalid, the default
    assertThat(shown.keys()).doesNotContain("x-flags"); // another codec's: hidden
  }

  /** Every key of {@code metadata}, sorted, with its values in order (binary ones as text). */
  private static Map<String, List<String>> canonical(Metadata metadata) {
    Map<String, List<String>> entries = new TreeMap<>();
    for (String name : metadata.keys()) {
      List<String> values = new ArrayList<>();
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        metadata.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER))
            .forEach(value -> values.add(new String(value, StandardCharsets.ISO_8859_1)));
      } else {
        metadata.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER)).forEach(values::add);
      }
      entries.put(name, values);
    }
    return entries;
  }

  private static Metadata toMetadata(List<Tuple2<String, String>> entries) {
    Metadata metadata = new Metadata();
    for (Tuple2<String, String> entry : entries) {
      String name = entry.get1();
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        metadata.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), entry.get2().getBytes(StandardCharsets.UTF_8));
      } else {
        metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), entry.get2());
      }
    }
    return metadata;
  }
}
