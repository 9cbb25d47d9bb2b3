package dev.flagroute.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Member keys are found by region, with hash collisions and past 64 routes. */
class MemberKeysTest {
  @Test
  void keysWithTheSameHashAreToldApart() {
    // same length, first and last chars: the same slot chain
    MemberKeys keys = new MemberKeys(List.of("ab1b", "ax1b", "a--b", "a"));
    assertThat(keys.indexOf("x,flag.ax1b=1", 7, 11)).isEqualTo(1);
    assertThat(keys.indexOf("ab1b", 0, 4)).isEqualTo(0);
    assertThat(keys.indexOf("a--b", 0, 4)).isEqualTo(2);
    assertThat(keys.indexOf("a", 0, 1)).isEqualTo(3);
    assertThat(keys.indexOf("azzb", 0, 4)).isEqualTo(-1);
    assertThat(keys.indexOf("ab1", 0, 3)).isEqualTo(-1);
    assertThat(keys.indexOf("", 0, 0)).isEqualTo(-1);
  }

  @Property(tries = 300)
  void findsExactlyTheDeclaredKeys(@ForAll @IntRange(min = 1, max = 90) int count,
      @ForAll @StringLength(max = 12) String probe) {
    List<String> declared = IntStream.range(0, count).mapToObj(i -> "k" + i).toList();
    MemberKeys keys = new MemberKeys(declared);
    for (int i = 0; i < count; i++) {
      String member = " p.k" + i + " ";
      assertThat(keys.indexOf(member, 3, member.length() - 1)).isEqualTo(i);
    }
    String text = "p." + probe;
    assertThat(keys.indexOf(text, 2, text.length())).isEqualTo(declared.indexOf(probe));
  }

  @Test
  void moreThanSixtyFourFlagsAreReadAndTheirDuplicatesDropped() {
    List<FlagRoute> list = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      list.add(FlagRoute.builder("f" + i).service("s" + i).variant("a", "v1").variant("b", "v2")
          .defaultVariant("a").build());
    }
    FlagRoutes routes = FlagRoutes.of(list);
    String baggage = IntStream.range(0, 70).mapToObj(i -> "flag.f" + i + "=b").collect(Collectors.joining(","))
        + ",flag.f69=a,flag.f3=a";
    RoutingCounters counters = new RoutingCounters();
    FlagContext read = FlagRouter.builder(routes).mode(RoutingMode.RELAY).codec(HeaderCodec.baggage())
        .limits(new HeaderLimits(100, 64, 16_384)).listener(counters).build()
        .route(Map.of("baggage", baggage), HeaderGetter.forMap());
    assertThat(read.variants().values()).hasSize(70).containsOnly("b");
    assertThat(counters.dropped(DropReason.DUPLICATE)).isEqualTo(2);
  }
}
