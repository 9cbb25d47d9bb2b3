package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.internal.check.StampedRequests;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * The drift check has no blind spot for stamped requests: generated rules of any format, mutated
 * once (an entry removed, two list entries swapped, an entry duplicated, a string replaced by
 * another string of the documents, a number changed), either are refused as invalid, or route
 * every stamped request the drift check sends exactly as before, or make the drift check report
 * something. "Where a request goes" is the picked rule's destinations that get a share of its
 * requests, with that share and the version each reaches, and its mirrors.
 */
class MovedRequestsAreReportedPropertyTest {
  private static final MeshOptions OPTIONS = MeshOptions.defaults();

  @Property(tries = 250)
  void everyMutationThatMovesAStampedRequestIsReported(@ForAll("routes") FlagRoutes routes,
      @ForAll("codecs") HeaderCodec codec, @ForAll("formats") MeshFormat format,
      @ForAll @IntRange(min = 0, max = 4) int operation, @ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 0, max = 100_000) int choice) {
    Optional<String> yaml = MeshArbitraries.generate(MeshGenerator.of(routes, codec, OPTIONS), format, routes,
        OPTIONS);
    if (yaml.isEmpty()) {
      Statistics.label("outcome").collect("routes refused by the format");
      return;
    }
    List<Map<String, Object>> original = MeshYaml.read(yaml.get(), format.id());
    List<Map<String, Object>> mutated = MeshYaml.read(yaml.get(), format.id());
    String what = mutate(mutated, operation, position, choice);
    MeshRouteEvaluator before = MeshRouteEvaluator.of(format, original);
    MeshRouteEvaluator after;
    List<Drift> drift;
    try {
      after = MeshRouteEvaluator.of(format, mutated);
      drift = MeshDriftCheck.of(routes, codec, OPTIONS).check(mutated);
    } catch (InvalidMeshException refused) {
      Statistics.label("outcome").collect("mutation refused as invalid");
      return;
    }
    List<ServicePlan> plans = ServicePlan.of(routes, codec);
    StampedRequests stamps = new StampedRequests(routes, codec, plans);
    for (ServicePlan plan : plans) {
      for (StampedRequests.Stamp stamp : stamps.of(plan)) {
        List<String> was = where(before, plan.service(), stamp.request());
        List<String> now = where(after, plan.service(), stamp.request());
        if (!was.equals(now)) {
          assertThat(drift).as("%s %s: %s moves %s %s from %s to %s, unreported", format, codec, what,
              plan.service(), stamp.request().headers(), was, now).isNotEmpty();
          Statistics.label("outcome").collect("moved a request, reported");
          return;
        }
      }
    }
    Statistics.label("outcome").collect(drift.isEmpty() ? "moved nothing, no drift" : "moved nothing, drift reported");
  }

  /** The destinations and mirrors of the rule picked for {@code request}, each with the version it reaches. */
  private static List<String> where(MeshRouteEvaluator mesh, String service, MeshRequest request) {
    RuleTable table = mesh.table();
    Optional<MeshRoute> route = mesh.route(service, request);
    if (route.isEmpty()) {
      return List.of("no rule");
    }
    Map<String, Double> shares = new TreeMap<>();
    long total = route.get().destinations().stream().mapToLong(d -> Math.max(0, d.weight())).sum();
    for (MeshDestination d : route.get().destinations()) {
      if (d.weight() > 0) {
        shares.merge(d.host() + "/" + d.subset() + ":" + d.port() + " = " + table.versionOf(service, d, OPTIONS),
            100.0 * d.weight() / total, Double::sum);
      }
    }
    List<String> where = new ArrayList<>();
    shares.forEach((destination, share) -> where.add(destination + " " + Math.round(share * 1000) / 1000.0 + "%"));
    for (MeshMirror m : route.get().mirrors()) {
      where.add("mirror " + m.host() + "/" + m.subset() + ":" + m.port() + "@" + m.percent() + "="
          + table.versionOf(service, m, OPTIONS));
    }
    return where;
  }

  /**
   * Applies one mutation to the documents and says what it did: the operation chosen where it
   * applies to the field at {@code position}, else the field's removal.
   */
  @SuppressWarnings("unchecked")
  private static String mutate(List<Map<String, Object>> documents, int operation, int position, int choice) {
    List<Object[]> fields = new ArrayList<>();
    List<Object> scalars = new ArrayList<>();
    documents.forEach(document -> collect(document, fields, scalars));
    Object[] field = fields.get(position % fields.size());
    Object container = field[0];
    Object key = field[1];
    Object value = container instanceof Map<?, ?> map ? map.get(key) : ((List<?>) container).get((Integer) key);
    if (operation == 1 && container instanceof List<?> list && list.size() > 1) {
      int i = (Integer) key;
      int j = (i + 1) % list.size();
      Object other = list.get(j);
      ((List<Object>) list).set(j, value);
      ((List<Object>) list).set(i, other);
      return "swapping list entries " + i + " and " + j;
    }
    if (operation == 2 && container instanceof List<?> list) {
      ((List<Object>) list).add((Integer) key, copy(value));
      return "duplicating list entry " + key;
    }
    if (operation == 3 && value instanceof String && scalars.size() > 1) {
      Object replacement = scalars.get(choice % scalars.size());
      put(container, key, replacement);
      return "replacing " + key + " '" + value + "' by '" + replacement + "'";
    }
    if (operation == 4 && value instanceof Number number) {
      int replacement = choice % 2 == 0 ? number.intValue() + 1 : 0;
      put(container, key, replacement);
      return "changing " + key + " from " + value + " to " + replacement;
    }
    if (container instanceof Map<?, ?> map) {
      ((Map<Object, Object>) map).remove(key);
    } else {
      ((List<Object>) container).remove((int) (Integer) key);
    }
    return "removing " + key + " (" + value + ")";
  }

  @SuppressWarnings("unchecked")
  private static void put(Object container, Object key, Object value) {
    if (container instanceof Map<?, ?> map) {
      ((Map<Object, Object>) map).put(key, value);
    } else {
      ((List<Object>) container).set((Integer) key, value);
    }
  }

  private static void collect(Object node, List<Object[]> fields, List<Object> scalars) {
    if (node instanceof Map<?, ?> map) {
      for (Object key : new ArrayList<>(map.keySet())) {
        fields.add(new Object[] {map, key});
        collect(map.get(key), fields, scalars);
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        fields.add(new Object[] {list, i});
        collect(list.get(i), fields, scalars);
      }
    } else if (node instanceof String && !scalars.contains(node)) {
      scalars.add(node);
    }
  }

  private static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, copy(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(copy(v)));
      return copy;
    }
    return value;
  }

  @Provide
  Arbitrary<FlagRoutes> routes() {
    return MeshArbitraries.routes();
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return MeshArbitraries.codecs();
  }

  @Provide
  Arbitrary<MeshFormat> formats() {
    List<MeshFormat> formats = new ArrayList<>(MeshFormat.all());
    formats.add(MeshFormat.gatewayApi(GatewayApiVersion.V1_1));
    return Arbitraries.of(formats);
  }
}
