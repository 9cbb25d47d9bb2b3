package dev.flagroute.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.CodecMismatch;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.support.TestRoutes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A relay reading a plain map with {@link HeaderGetter#forMap()} takes a one-pass read over the
 * map's entries when it can (every codec: the per-flag headers, or the member list's header, found
 * in the pass that also hears the other names); whatever the headers (names in any case, repeated in other cases,
 * null values, unrouted and malformed flags, too many of them, another codec's headers, the shadow
 * marker), it must read the same context and report the same events, in the same order, as the
 * general read through a getter it knows nothing about.
 */
class PerFlagFastReadPropertyTest {
  private static final List<String> NAMES = List.of("x-flag-checkout", "x-flag-search", "x-flag-ratings",
      "x-flag-k", "x-flag-", "x-flags", "baggage", "x-flagroute-shadow", "host", "x-request-id", "accept");
  private static final List<String> VALUES = List.of("v1", "v2", "on", "off", " v2 ", "v3", "neural", "", "v1,v2",
      "bad value", "1", "flag.checkout=v2", "x".repeat(300), "checkout=v2,search=on", "ff.checkout=v1, flag.search=on",
      "flag.checkout=v2;p=1,flag.ratings=neural,other=1", "flag.search=off,flag.search=on");

  @Property(tries = 1000)
  void theOnePassReadAgreesWithTheGeneralRead(@ForAll("codecs") HeaderCodec codec,
      @ForAll("carriers") Map<String, String> headers, @ForAll("maxFlags") int maxFlags) {
    HeaderLimits limits = new HeaderLimits(maxFlags, 256, 8192);
    Recording fast = new Recording();
    Recording general = new Recording();
    FlagRouter fastRelay = relay(codec, fast, limits);
    FlagRouter generalRelay = relay(codec, general, limits);
    HeaderGetter<Map<String, String>> opaque = new HeaderGetter<>() {
      @Override
      public String get(Map<String, String> carrier, String name) {
        return HeaderGetter.forMap().get(carrier, name);
      }

      @Override
      public Iterable<String> names(Map<String, String> carrier) {
        return carrier.keySet();
      }
    };

    FlagContext read = fastRelay.route(headers, HeaderGetter.forMap());
    FlagContext expected = generalRelay.route(headers, opaque);

    assertThat(read).isEqualTo(expected);
    assertThat(read.carried()).containsExactlyEntriesOf(expected.carried());
    assertThat(fast.events).isEqualTo(general.events);
  }

  private static FlagRouter relay(HeaderCodec codec, RoutingListener listener, HeaderLimits limits) {
    return FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.RELAY).codec(codec).listener(listener)
        .limits(limits).build();
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.baggage(), HeaderCodec.baggage("ff."),
        HeaderCodec.combined());
  }

  @Provide
  Arbitrary<Integer> maxFlags() {
    return Arbitraries.of(1, 2, 3, 64);
  }

  @Provide
  Arbitrary<Map<String, String>> carriers() {
    Arbitrary<String> name = Arbitraries.of(NAMES).flatMap(n -> Arbitraries.strings().withChars("0000001")
        .ofLength(n.length()).map(mask -> recase(n, mask)));
    Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(VALUES),
        Arbitraries.strings().withChars("v12 ,;=\t.-_").ofMaxLength(6));
    Arbitrary<Map<String, String>> linked = Arbitraries.maps(name, value.injectNull(0.05)).ofMaxSize(12)
        .map(LinkedHashMap::new);
    return Arbitraries.oneOf(linked, linked.map(HashMap::new));
  }

  private static String recase(String name, String mask) {
    StringBuilder cased = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      // mostly lowercase, as most requests are: the one-pass read is taken for those
      cased.append(mask.charAt(i) == '1' ? Character.toUpperCase(name.charAt(i)) : name.charAt(i));
    }
    return cased.toString();
  }

  /** Every event a relay reports, in order. */
  private static final class Recording implements RoutingListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void headerDropped(String header, DropReason reason) {
      events.add("dropped " + header + " " + reason);
    }

    @Override
    public void unknownVariant(String flagKey, String variant) {
      events.add("unknown " + flagKey + "=" + variant);
    }

    @Override
    public void codecMismatch(CodecMismatch mismatch) {
      events.add("mismatch " + mismatch);
    }

    @Override
    public void decided(FlagContext context) {
      events.add("decided " + context + " shadow " + context.isShadow());
    }
  }
}
