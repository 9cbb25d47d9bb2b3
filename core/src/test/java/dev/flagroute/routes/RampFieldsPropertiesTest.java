package dev.flagroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A variant's {@code ramp} field, whatever a document holds there: a ramp, or problems naming flag and variant. */
class RampFieldsPropertiesTest {
  private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

  @Provide
  Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30), Arbitraries.integers(),
        Arbitraries.doubles(), Arbitraries.of("10m", "PT10M", "0s", "-1m", "2026-01-05T09:00:00Z", "5%", "0x1p3",
            "NaN", "Infinity", "1e2", "", " ", "100.001"), Arbitraries.just(null));
  }

  @Provide
  Arbitrary<Object> values() {
    Arbitrary<Object> scalar = scalars();
    Arbitrary<Object> list = scalar.list().ofMaxSize(25).map(l -> l);
    Arbitrary<Object> fields = Combinators.combine(Arbitraries.oneOf(scalar, list), scalar, scalar,
        Arbitraries.of("steps", "interval", "start", "speed")).as((steps, interval, start, extra) -> {
          Map<String, Object> map = new HashMap<>();
          map.put("steps", steps);
          map.put("interval", interval);
          map.put("start", start);
          map.put(extra, interval);
          return map;
        });
    return Arbitraries.oneOf(scalar, list, fields);
  }

  @Property
  void anyValueGivesARampOrProblemsNamingFlagAndVariant(@ForAll("values") Object ramp) {
    Map<String, Object> variant = new HashMap<>();
    variant.put("version", "v2");
    variant.put("ramp", ramp);
    Map<String, Object> route = Map.of("flag", "checkout", "service", "reviews", "default", "v1",
        "variants", Map.of("v1", "v1", "v2", variant));
    try {
      FlagRoutes routes = RoutesDocument.read(Map.of("routes", List.of(route)), "doc");
      if (ramp != null) {
        assertThat(routes.get("checkout").ramps()).containsKey("v2");
      }
    } catch (InvalidRoutesException e) {
      assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem)
          .startsWith("flag 'checkout': variant 'v2': "));
    }
  }

  @Provide
  Arbitrary<List<Integer>> basisPoints() {
    return Arbitraries.integers().between(1, 10_000).set().ofMinSize(1).ofMaxSize(20)
        .map(set -> set.stream().sorted().toList());
  }

  @Property
  void stepsReadAsWrittenWithOrWithoutPercentSigns(@ForAll("basisPoints") List<Integer> steps,
      @ForAll boolean signs, @ForAll boolean strings) {
    List<Object> written = new ArrayList<>();
    List<Double> percents = new ArrayList<>();
    for (int bp : steps) {
      double percent = bp / 100.0;
      percents.add(percent);
      written.add(signs ? percent + "%" : strings ? String.valueOf(percent) : percent);
    }
    Map<String, Object> variant = Map.of("version", "v2",
        "ramp", Map.of("steps", written, "interval", "90s", "start", "2026-01-05T10:00:00+01:00"));
    FlagRoutes routes = RoutesDocument.read(Map.of("routes", List.of(Map.of("flag", "checkout", "service", "reviews",
        "default", "v1", "variants", Map.of("v1", "v1", "v2", variant)))), "doc");
    assertThat(routes.get("checkout").ramps().get("v2"))
        .isEqualTo(new Ramp(percents, Duration.ofSeconds(90), START));
  }
}
