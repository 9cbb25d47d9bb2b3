package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Rules that are not what flagroute wrote (a field replaced by any scalar, list or mapping, or
 * removed, anywhere in the documents) never break the evaluator or the drift check of any format:
 * they are evaluated, or refused with an {@link InvalidMeshException} naming the resource and
 * field, never another exception.
 */
class MutatedRulesPropertyTest {
  private static final List<Object> REPLACEMENTS = List.of("x", "(", "", 7, -1, 1.5, true, List.of(), List.of("a"),
      Map.of(), Map.of("exact", "v2"), Map.of("x-flag-a", "^on$"));

  @Property(tries = 200)
  void mutatedRulesAreEvaluatedOrRefusedClearly(@ForAll("routes") FlagRoutes routes,
      @ForAll("codecs") HeaderCodec codec, @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 10_000)
      Integer> positions, @ForAll @Size(4) List<@IntRange(min = -1, max = 11) Integer> replacements,
      @ForAll @Size(9) List<@IntRange(min = -1, max = 7) Integer> choices) {
    MeshGenerator generator = MeshGenerator.of(routes, codec, MeshOptions.defaults());
    Map<String, String> headers = new HashMap<>();
    FlagContext context = MeshArbitraries.context(routes, choices);
    codec.inject(context, headers, HeaderSetter.forMap());
    for (MeshFormat format : MeshFormat.all()) {
      Optional<String> yaml = MeshArbitraries.generate(generator, format, routes, MeshOptions.defaults());
      if (yaml.isEmpty()) {
        continue;
      }
      List<Map<String, Object>> documents = MeshYaml.read(yaml.get(), format.id());
      for (int i = 0; i < positions.size(); i++) {
        mutate(documents, positions.get(i), replacements.get(i % replacements.size()));
      }
      try {
        MeshRouteEvaluator mesh = MeshRouteEvaluator.of(format, documents);
        for (String service : routes.services()) {
          mesh.route(service, MeshRequest.of(headers));
        }
        MeshDriftCheck.of(routes, codec, MeshOptions.defaults()).check(documents);
      } catch (InvalidMeshException e) {
        assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem).contains(": "));
      }
    }
  }

  /** Replaces (or, for -1, removes) the value at the {@code position}-th field, counted over every field of every document. */
  @SuppressWarnings("unchecked")
  private static void mutate(List<Map<String, Object>> documents, int position, int replacement) {
    List<Object[]> fields = new ArrayList<>();
    documents.forEach(document -> collect(document, fields));
    Object[] field = fields.get(position % fields.size());
    Object value = replacement < 0 ? null : REPLACEMENTS.get(replacement);
    if (field[0] instanceof Map<?, ?> map) {
      if (value == null) {
        ((Map<Object, Object>) map).remove(field[1]);
      } else {
        ((Map<Object, Object>) map).put(field[1], copy(value));
      }
    } else {
      ((List<Object>) field[0]).set((Integer) field[1], copy(value));
    }
  }

  private static void collect(Object node, List<Object[]> fields) {
    if (node instanceof Map<?, ?> map) {
      for (Object key : new ArrayList<>(map.keySet())) {
        fields.add(new Object[] {map, key});
        collect(map.get(key), fields);
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        fields.add(new Object[] {list, i});
        collect(list.get(i), fields);
      }
    }
  }

  private static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      return new LinkedHashMap<>(map);
    }
    return value instanceof List<?> list ? new ArrayList<>(list) : value;
  }

  @Provide
  Arbitrary<FlagRoutes> routes() {
    return MeshArbitraries.routes();
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return MeshArbitraries.codecs();
  }
}
