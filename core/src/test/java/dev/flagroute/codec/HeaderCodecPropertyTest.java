package dev.flagroute.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.access.ExtractSink;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties every codec must have: what is written reads back the same, and no header content,
 * however hostile, makes reading throw, exceed the limits or yield a value no route has.
 */
class HeaderCodecPropertyTest {
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  /** Fixed routes for the garbage properties: dots, dashes and upper case in keys, similar variants. */
  private static final FlagRoutes ROUTES = FlagRoutes.of(
      route("checkout", "v1", "v2"),
      route("search.ranking", "classic", "ml_2", "ml-3"),
      route("Dark-Launch", "off", "on"),
      route("a", "A", "b.c"));

  @Property(tries = 500)
  void everyCodecReadsBackWhatItWrote(@ForAll("codecs") HeaderCodec codec, @ForAll("contexts") FlagContext context) {
    Map<String, String> headers = new HashMap<>();
    codec.inject(context, headers, HeaderSetter.forMap());

    Map<String, String> read = new LinkedHashMap<>();
    Recorder recorder = new Recorder(context.routes());
    extract(codec, context.routes(), HeaderLimits.DEFAULT, headers, recorder);
    recorder.values.forEach((index, value) -> read.put(context.routes().asList().get(index).key(), value));

    assertThat(recorder.drops).isEmpty();
    assertThat(read).isEqualTo(context.variants());
    FlagContext relayed = FlagRouter.builder(context.routes()).mode(RoutingMode.RELAY).codec(codec).build()
        .route(headers, HeaderGetter.forMap());
    context.forEach((route, decision) -> assertThat(relayed.decision(route.key()))
        .isEqualTo(new FlagDecision(decision.variant(), Source.RELAYED, FlagDecision.RELAYED)));
    assertThat(relayed.size()).isEqualTo(context.routes().size());
  }

  @Property(tries = 300)
  void meshMatchesAgreeWithWhatIsWritten(@ForAll("codecs") HeaderCodec codec, @ForAll("contexts") FlagContext context) {
    Map<String, String> headers = new HashMap<>();
    codec.inject(context, headers, HeaderSetter.forMap());

    context.forEach((route, decision) -> {
      for (String variant : route.variants().keySet()) {
        HeaderMatch match = codec.match(route, variant);
        String value = headers.get(match.header());
        boolean matches = value != null && (match.type() == HeaderMatch.Type.EXACT
            ? value.equals(match.value()) : value.matches(match.value()));
        assertThat(matches).as("%s matches %s=%s in %s", match, route.key(), decision.variant(), headers)
            .isEqualTo(variant.equals(decision.variant()));
      }
    });
  }

  @Property(tries = 400)
  void garbageNeverThrowsRespectsTheLimitsAndYieldsOnlyValidVariants(@ForAll("codecs") HeaderCodec codec,
      @ForAll("garbageHeaders") Map<String, String> headers, @ForAll("limits") HeaderLimits limits) {
    Recorder recorder = new Recorder(ROUTES);

    extract(codec, ROUTES, limits, headers, recorder);

    assertThat(recorder.values.size()).isLessThanOrEqualTo(limits.maxFlags());
    assertThat(recorder.duplicateDeliveries).as("a flag delivered twice").isZero();
    assertThat(recorder.callbacks).as("callbacks are bounded by the limits, not by the input")
        .isLessThanOrEqualTo(limits.maxFlags() + ROUTES.size() + 1);
    recorder.values.forEach((index, value) -> {
      assertThat(value.length()).isLessThanOrEqualTo(limits.maxValueLength());
      assertThat(HeaderGetter.forMap().get(headers, recorder.headers.get(index)).length())
          .as("read from a header within the limit")
          .isLessThanOrEqualTo(limits.maxHeaderLength());
    });

    RoutingCounters counters = new RoutingCounters();
    FlagContext routed = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).codec(codec).limits(limits)
        .listener(counters).build().route(headers, HeaderGetter.forMap());
    assertThat(routed.size()).isEqualTo(ROUTES.size());
    assertThat(routed.carried().size()).isLessThanOrEqualTo(limits.maxFlags());
    routed.carried().forEach((key, variant) -> {
      assertThat(RouteNames.FLAG_KEY.matcher(key).matches()).as(key).isTrue();
      assertThat(RouteNames.isVariant(variant)).as(variant).isTrue();
    });
    routed.forEach((route, decision) -> {
      assertThat(route.hasVariant(decision.variant()) || decision.isUnknownVariant()
          && RouteNames.isVariant(decision.variant())).isTrue();
      assertThat(decision.source()).isIn(Source.RELAYED, Source.DEFAULT);
      if (decision.source() == Source.RELAYED) {
        assertThat(recorder.values.get(ROUTES.asList().indexOf(route))).isEqualTo(decision.variant());
      }
    });
    assertThat(counters.decisions()).isEqualTo(1);
  }

  @Property(tries = 1000)
  void perFlagOwnsTheNamesThatStartWithItsPrefixInAnyCase(@ForAll("prefixes") String prefix,
      @ForAll("namesNearPrefixes") String name) {
    // ASCII letters ignoring case, every other char exactly, as HTTP compares names
    boolean expected = name.length() > prefix.length()
        && asciiLower(name.substring(0, prefix.length())).equals(asciiLower(prefix));

    assertThat(HeaderCodec.perFlag(prefix).owns(name)).as("%s owns %s", prefix, name).isEqualTo(expected);
  }

  private static String asciiLower(String s) {
    StringBuilder lower = new StringBuilder();
    s.chars().forEach(c -> lower.append((char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c)));
    return lower.toString();
  }

  @Property(tries = 400)
  void perFlagReportsEachUnknownFlagHeaderOnce(@ForAll("flagHeaderNames") List<String> names) {
    Map<String, String> headers = new LinkedHashMap<>();
    names.forEach(name -> headers.put(name, "v1"));
    Recorder recorder = new Recorder(ROUTES);

    extract(HeaderCodec.perFlag(), ROUTES, HeaderLimits.DEFAULT, headers, recorder);

    List<String> lowerNames = headers.keySet().stream().map(HeaderCodecPropertyTest::asciiLowercase).toList();
    List<String> unknown = lowerNames.stream()
        .filter(name -> name.length() > 7 && name.startsWith("x-flag-"))
        .filter(name -> ROUTES.get(name.substring(7)) == null)
        .filter(name -> Collections.frequency(lowerNames, name) == 1)
        .map(name -> name + ": " + DropReason.UNKNOWN_FLAG).toList();
    assertThat(recorder.drops.stream().filter(drop -> drop.endsWith(DropReason.UNKNOWN_FLAG.name())))
        .containsExactlyElementsOf(unknown);
  }

  @Property(tries = 300)
  void baggageMembersOfOtherOwnersSurviveAWrite(@ForAll("foreignMembers") List<String> foreign,
      @ForAll("contexts") FlagContext context) {
    Map<String, String> headers = new HashMap<>();
    List<String> existing = new ArrayList<>(foreign);
    existing.add(existing.size() / 2, "flag.stale=v9;ttl=1");
    headers.put("baggage", String.join(" , ", existing));

    HeaderCodec.baggage().inject(context, headers, HeaderSetter.forMap());

    List<String> members = List.of(headers.get("baggage").split(","));
    List<String> expectedOwn = new ArrayList<>();
    context.forEach((route, decision) -> expectedOwn.add("flag." + route.key() + "=" + decision.variant()));
    if (context.isEmpty()) {
      assertThat(headers.get("baggage")).as("an empty context writes nothing").isEqualTo(String.join(" , ", existing));
    } else {
      assertThat(members).containsAll(expectedOwn).hasSize(foreign.size() + expectedOwn.size());
      assertThat(members.subList(0, foreign.size())).as("other owners' members, in order").isEqualTo(foreign);
      Recorder recorder = new Recorder(context.routes());
      extract(HeaderCodec.baggage(), context.routes(), HeaderLimits.DEFAULT, headers, recorder);
      assertThat(recorder.values).hasSize(context.size());
    }
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage(),
        HeaderCodec.perFlag("X-Feature-"), HeaderCodec.combined("X-Routing"), HeaderCodec.baggage("ff."));
  }

  @Provide
  Arbitrary<FlagContext> contexts() {
    Arbitrary<FlagRoute> routes = Combinators.combine(name(".-", 40), name("._-", 20).list().ofMinSize(1).ofMaxSize(5)
        .uniqueElements()).as((key, variants) -> {
          FlagRoute.Builder builder = FlagRoute.builder(key).service("svc");
          IntStream.range(0, variants.size()).forEach(i -> builder.variant(variants.get(i), "v" + i));
          return builder.defaultVariant(variants.get(0)).build();
        });
    return routes.list().ofMinSize(0).ofMaxSize(12).uniqueElements(r -> r.key().toLowerCase(Locale.ROOT))
        .map(FlagRoutes::of)
        .flatMap(flagRoutes -> Arbitraries.integers().between(-1, 4).list().ofSize(flagRoutes.size())
            .map(choices -> {
              FlagContext.Builder builder = FlagContext.builder(flagRoutes);
              for (int i = 0; i < choices.size(); i++) {
                FlagRoute route = flagRoutes.asList().get(i);
                List<String> variants = List.copyOf(route.variants().keySet());
                if (choices.get(i) >= 0) {
                  builder.relayed(route.key(), variants.get(choices.get(i) % variants.size()));
                }
              }
              return builder.build();
            }));
  }

  @Provide
  Arbitrary<HeaderLimits> limits() {
    return Arbitraries.oneOf(Arbitraries.just(HeaderLimits.DEFAULT),
        Combinators.combine(Arbitraries.integers().between(1, 70), Arbitraries.integers().between(1, 300),
            Arbitraries.integers().between(1, 10_000)).as(HeaderLimits::new));
  }

  @Provide
  Arbitrary<Map<String, String>> garbageHeaders() {
    Arbitrary<String> names = Arbitraries.oneOf(
        Arbitraries.of("x-flag-checkout", "x-flag-search.ranking", "x-flag-dark-launch", "x-flag-a", "x-flags",
            "baggage", "x-feature-checkout", "x-routing", "x-flag-unknown", "x-flag-", "X-Flag-Checkout"),
        Arbitraries.strings().withChars("x-flag").ofMinLength(1).ofMaxLength(12).map(s -> "x-flag-" + s),
        Arbitraries.strings().all().ofMaxLength(20));
    return Arbitraries.maps(names, garbageValues()).ofMaxSize(80);
  }

  @Provide
  Arbitrary<String> prefixes() {
    return Arbitraries.of("x-flag-", "s-", "k-route-", "i", "x-feature-");
  }

  /** Names that start with a prefix in mixed case, with look-alike non-ASCII letters, or anything. */
  @Provide
  Arbitrary<String> namesNearPrefixes() {
    Arbitrary<String> mixedCase = Combinators.combine(prefixes(), Arbitraries.integers().between(0, 1 << 12),
        Arbitraries.strings().withChars("abcXYZ-.\u017f\u0131\u212a").ofMaxLength(6)).as((prefix, upper, rest) -> {
          StringBuilder name = new StringBuilder();
          for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            name.append((upper >> i & 1) == 1 ? Character.toUpperCase(c) : c);
          }
          return name.append(rest).toString();
        });
    Arbitrary<String> lookAlike = Combinators.combine(prefixes(), Arbitraries.of('\u017f', '\u0131', '\u212a', 'K', 'S'),
        Arbitraries.integers().between(0, 9)).as((prefix, c, at) -> {
          int i = Math.min(at, prefix.length() - 1);
          return prefix.substring(0, i) + c + prefix.substring(i + 1) + "x";
        });
    return Arbitraries.oneOf(mixedCase, lookAlike, Arbitraries.strings().all().ofMaxLength(12));
  }

  /** Header names: known flags in any case, unknown flags, ordinary headers and other names. */
  @Provide
  Arbitrary<List<String>> flagHeaderNames() {
    return Arbitraries.oneOf(
        Arbitraries.of("x-flag-checkout", "X-Flag-Checkout", "X-FLAG-SEARCH.RANKING", "x-flag-dark-launch",
            "x-flag-a", "x-flag-unknown", "X-Flag-Nope", "x-flag-", "x-flags", "host", "x-request-id",
            "accept", "traceparent", "x-flag-\u212aey"),
        Arbitraries.strings().withChars("aX-\u0131").ofMinLength(1).ofMaxLength(6).map(s -> "x-flag-" + s),
        Arbitraries.strings().all().ofMaxLength(16))
        .list().ofMaxSize(30).uniqueElements();
  }

  @Provide
  Arbitrary<List<String>> foreignMembers() {
    Arbitrary<String> key = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_-*~")
        .ofMinLength(1).ofMaxLength(12).filter(k -> !k.startsWith("flag."));
    Arbitrary<String> value = Arbitraries.strings().withChars("abcXYZ019%!#$&'()*+-./:<>?@[]^_`{|}~")
        .ofMaxLength(16);
    Arbitrary<String> property = Arbitraries.of("", ";p", ";ttl=3");
    return Combinators.combine(key, value, property).as((k, v, p) -> k + "=" + v + p).list().ofMaxSize(10);
  }

  private Arbitrary<String> garbageValues() {
    Arbitrary<String> member = Arbitraries.oneOf(
        Arbitraries.of("checkout=v2", "flag.checkout=v1", "flag.search.ranking=ml_2", "Dark-Launch=on",
            "flag.a=b.c", "ff.checkout=v2", "checkout=V2", "flag.checkout=v1;prop=x", "flag.checkout=%76%32",
            "flag.checkout=%zz", "flag.checkout=%e2%82", "flag.checkout=%", "=", "==", ";", "flag.", "checkout",
            "flag.checkout=", "unknown=x", "flag.nope=v1", " flag.checkout = v2 "),
        Arbitraries.strings().all().ofMaxLength(30));
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("v1", "v2", "V2", "ml_2", "on", "b.c", " v1 ", "v1,v2", "v1, v1")),
        Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
        Tuple.of(1, Arbitraries.strings().withChars("v1,=;% ").ofMinLength(5_000).ofMaxLength(20_000)),
        Tuple.of(1, Arbitraries.strings().withChars("v").ofLength(257)),
        Tuple.of(3, member.list().ofMaxSize(300).map(members -> String.join(",", members))),
        Tuple.of(2, Arbitraries.of("", " ", ",", ",,,", "=", ";", "\t", "\u0000", "%", "%%%")),
        Tuple.of(2, Arbitraries.strings().withCharRange('\u0080', '\uffff').ofMaxLength(30)),
        Tuple.of(2, Arbitraries.strings().withChars("%0123456789abcdefABCDEFg").ofMaxLength(60)
            .map(s -> "flag.checkout=" + s)));
  }

  private static Arbitrary<String> name(String inner, int maxInner) {
    Arbitrary<Character> edge = Arbitraries.of(ALNUM.toCharArray());
    Arbitrary<String> middle = Arbitraries.strings().withChars(ALNUM + inner).ofMaxLength(maxInner);
    return Arbitraries.oneOf(edge.map(String::valueOf),
        Combinators.combine(edge, middle, edge).as((first, mid, last) -> first + mid + last));
  }

  private static FlagRoute route(String key, String... variants) {
    FlagRoute.Builder builder = FlagRoute.builder(key).service("svc");
    for (int i = 0; i < variants.length; i++) {
      builder.variant(variants[i], "v" + i);
    }
    return builder.defaultVariant(variants[0]).build();
  }

  /** Reads {@code headers} with {@code codec} bound to {@code routes} and {@code limits}. */
  static void extract(HeaderCodec codec, FlagRoutes routes, HeaderLimits limits, Map<String, String> headers,
      ExtractSink sink) {
    BoundCodec.bind(codec, routes, limits).extract(headers, HeaderGetter.forMap(), sink);
  }

  /** Records what a codec reports, checking that route indexes are in range. */
  static final class Recorder implements ExtractSink {
    final Map<Integer, String> values = new LinkedHashMap<>();
    final Map<Integer, String> headers = new LinkedHashMap<>();
    final List<String> drops = new ArrayList<>();
    final FlagRoutes routes;
    int callbacks;
    int duplicateDeliveries;

    Recorder(FlagRoutes routes) {
      this.routes = routes;
    }

    @Override
    public void flag(int routeIndex, String header, String value) {
      callbacks++;
      assertThat(routeIndex).isBetween(0, routes.size() - 1);
      assertThat(value).isNotNull();
      headers.put(routeIndex, header);
      if (values.put(routeIndex, value) != null) {
        duplicateDeliveries++;
      }
    }

    @Override
    public void dropped(String header, DropReason reason) {
      callbacks++;
      assertThat(header).isNotNull();
      assertThat(reason).isNotNull();
      drops.add(header + ": " + reason);
    }

    @Override
    public String toString() {
      return values.entrySet().stream().map(e -> routes.asList().get(e.getKey()).key() + "=" + e.getValue())
          .collect(Collectors.joining(", ", "{", "}")) + " drops " + drops;
    }
  }

  private static String asciiLowercase(String name) {
    StringBuilder lower = new StringBuilder(name.length());
    name.chars().forEach(c -> lower.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c)));
    return lower.toString();
  }
}
