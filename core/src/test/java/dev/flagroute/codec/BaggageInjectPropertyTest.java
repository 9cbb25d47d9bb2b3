package dev.flagroute.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.support.TestRoutes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Writing W3C baggage over an existing {@code baggage} value that someone else wrote, however
 * hostile: the header written is always a legal W3C baggage string, hence a legal HTTP field value
 * (RFC 9110: no CR, LF, NUL or other control characters), and every legal member of other owners
 * survives, in order.
 */
class BaggageInjectPropertyTest {
  /** W3C Baggage, written out from the specification's ABNF independently of the code under test. */
  private static final String OWS = "[ \\t]*";
  private static final String TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
  private static final String VALUE = "[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x7E]*";
  private static final String PROPERTY = TOKEN + "(" + OWS + "=" + OWS + VALUE + ")?";
  private static final String MEMBER = TOKEN + OWS + "=" + OWS + VALUE + "(" + OWS + ";" + OWS + PROPERTY + ")*";
  private static final Pattern LIST_MEMBER = Pattern.compile(MEMBER);
  private static final Pattern BAGGAGE = Pattern.compile(MEMBER + "(" + OWS + "," + OWS + MEMBER + ")*");
  /** RFC 9110 field value: visible ASCII, spaces and tabs inside, none at either end (obs-text aside). */
  private static final Pattern FIELD_VALUE = Pattern.compile("([\\x21-\\x7E]([\\x20\\x09\\x21-\\x7E]*[\\x21-\\x7E])?)?");

  private static final FlagContext CONTEXT = FlagContext.builder(TestRoutes.ROUTES).relayed("checkout", "v2")
      .relayed("search", "on").build();

  @Property(tries = 2000)
  void theWrittenBaggageIsLegalAndKeepsEveryLegalForeignMember(@ForAll("hostileBaggage") String existing,
      @ForAll("baggageCodecs") HeaderCodec codec) {
    Map<String, String> headers = new HashMap<>(Map.of("baggage", existing));

    codec.inject(CONTEXT, headers, HeaderSetter.forMap());

    String written = headers.get("baggage");
    assertThat(written).as("a legal HTTP field value").matches(FIELD_VALUE);
    assertThat(written).as("a W3C baggage string").matches(BAGGAGE);
    String prefix = codec.equals(HeaderCodec.baggage()) ? "flag." : "ff.";
    List<String> own = List.of(prefix + "checkout=v2", prefix + "search=on");
    List<String> members = List.of(written.split(","));
    assertThat(members.subList(members.size() - 2, members.size())).isEqualTo(own);
    assertThat(members.subList(0, members.size() - 2)).as("legal members of other owners, in order")
        .isEqualTo(legalForeignMembers(existing, prefix));
  }

  @Property(tries = 300)
  void theRouterBoundCodecWritesLegalBaggageToo(@ForAll("hostileBaggage") String existing) {
    Map<String, String> headers = new HashMap<>(Map.of("baggage", existing));

    BoundCodec.bind(HeaderCodec.baggage(), TestRoutes.ROUTES, HeaderLimits.DEFAULT)
        .inject(CONTEXT, headers, HeaderSetter.forMap());

    assertThat(headers.get("baggage")).matches(BAGGAGE).matches(FIELD_VALUE);
  }

  @Example
  void headerInjectionThroughAForeignMemberIsDropped() {
    Map<String, String> headers = new HashMap<>(Map.of("baggage",
        "userId=alice,evil=1\r\nx-flag-checkout: v2,tab=\tx,quoted=\"q\",uni=\u00e9t\u00e9,k=v;p;q=1 , ok=%20"));

    HeaderCodec.baggage().inject(CONTEXT, headers, HeaderSetter.forMap());

    assertThat(headers.get("baggage"))
        .isEqualTo("userId=alice,tab=\tx,k=v;p;q=1,ok=%20,flag.checkout=v2,flag.search=on");
  }

  @Example
  void foreignMembersAreBoundedInCountAndLength() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add("m" + i + "=" + "x".repeat(100));
    }
    Map<String, String> headers = new HashMap<>(Map.of("baggage", String.join(",", many)));

    HeaderCodec.baggage().inject(CONTEXT, headers, HeaderSetter.forMap());

    List<String> members = List.of(headers.get("baggage").split(","));
    assertThat(members.size() - 2).isLessThanOrEqualTo(64);
    assertThat(String.join(",", members.subList(0, members.size() - 2)).length()).isLessThanOrEqualTo(8192);
    assertThat(members.subList(0, members.size() - 2)).isEqualTo(many.subList(0, members.size() - 2));
  }

  /** The members of {@code existing} a writer must keep: legal, not {@code prefix}-owned, OWS trimmed. */
  private static List<String> legalForeignMembers(String existing, String prefix) {
    List<String> kept = new ArrayList<>();
    int length = 0;
    for (String member : existing.split(",", -1)) {
      String trimmed = member.replaceAll("^[ \\t]+|[ \\t]+$", "");
      if (!LIST_MEMBER.matcher(trimmed).matches() || trimmed.regionMatches(true, 0, prefix, 0, prefix.length())) {
        continue;
      }
      if (kept.size() == 64 || length + trimmed.length() + (kept.isEmpty() ? 0 : 1) > 8192) {
        break;
      }
      length += trimmed.length() + (kept.isEmpty() ? 0 : 1);
      kept.add(trimmed);
    }
    return kept;
  }

  @Provide
  Arbitrary<HeaderCodec> baggageCodecs() {
    return Arbitraries.of(HeaderCodec.baggage(), HeaderCodec.baggage("ff."));
  }

  /** Legal members mixed with control characters, separators, quotes, non-ASCII text and junk. */
  @Provide
  Arbitrary<String> hostileBaggage() {
    Arbitrary<String> legal = Combinators.combine(
        Arbitraries.strings().withChars("abcXYZ019!#$%&'*+-.^_`|~").ofMinLength(1).ofMaxLength(10),
        Arbitraries.strings().withChars("abcXYZ019%!#$&'()*+-./:<>?@[]^_`{|}~").ofMaxLength(12),
        Arbitraries.of("", ";p", ";ttl=3", " ; p = 1", ";a;b=c")).as((k, v, p) -> k + "=" + v + p);
    Arbitrary<String> hostile = Arbitraries.oneOf(
        Arbitraries.of("evil=1\r\nx-flag-checkout: v2", "k=v\n", "\r\n", "k=\u0000", "k=\"quoted\"", "k=back\\slash",
            "k=caf\u00e9", "=v", "k", "k=v;", "k=v;;p", " k = v ", "\tk=v\t", "k=v w", "flag.checkout=v1",
            "FLAG.search=off", "ff.checkout=v1", "k=v;p=\r", "k\u2003=v", "\u2003k=v", "k=v\u000b", "ke y=v"),
        Arbitraries.strings().all().ofMaxLength(30),
        Arbitraries.strings().withChars("k=v;,\r\n\t \"\\\u0000\u0085\u2028%").ofMaxLength(30));
    Arbitrary<String> member = Arbitraries.frequencyOf(Tuple.of(3, legal), Tuple.of(2, hostile));
    Arbitrary<String> separator = Arbitraries.of(",", " , ", ",\t", ",\r\n ", ",,");
    return Arbitraries.oneOf(
        Combinators.combine(member.list().ofMaxSize(12), separator.list().ofSize(12)).as((members, separators) -> {
          StringBuilder value = new StringBuilder();
          for (int i = 0; i < members.size(); i++) {
            value.append(i == 0 ? "" : separators.get(i)).append(members.get(i));
          }
          return value.toString();
        }),
        Arbitraries.strings().all().ofMaxLength(60),
        legal.list().ofMinSize(60).ofMaxSize(120).map(members -> String.join(",", members)));
  }
}
