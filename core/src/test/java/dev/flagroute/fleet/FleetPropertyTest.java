package dev.flagroute.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestProviders;
import dev.openfeature.sdk.ImmutableContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random fleets, as fleets are adopted and deployed: an edge and a chain of relays, each service
 * with its own subset of the flags, a routes change (a new variant of some flags) deployed to a
 * random part of the fleet, in the mesh's codec, with now and then a service misconfigured with
 * another codec, and a client sending forged flag headers of every codec to the edge. Every hop must
 * see the edge's decision for every flag, routed or carried, and the mesh rules (of the new routes)
 * must match exactly that decision on every hop's outbound call; or a hop on the way must have
 * reported the break. Never silent.
 */
class FleetPropertyTest {
  private static final List<String> ALL_VARIANTS = List.of("a", "b", "c", "d");
  private static final List<HeaderCodec> CODECS = List.of(HeaderCodec.perFlag(), HeaderCodec.combined(),
      HeaderCodec.baggage());

  @Property(tries = 150)
  void everyHopSeesTheEdgesDecisionOrTheBreakIsReported(@ForAll("fleets") Fleet fleet) {
    Map<String, String> answers = new LinkedHashMap<>(fleet.edgeDecision);
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(new TestProviders.StringProvider(
        (key, ctx) -> TestProviders.answer(answers.get(key))))) {
      RoutingCounters edgeCounters = new RoutingCounters();
      FlagRouter edge = FlagRouter.builder(fleet.edgeRoutes()).mode(RoutingMode.EDGE).codec(fleet.meshCodec)
          .client(openFeature.client()).listener(edgeCounters).build();
      Map<String, String> inbound = forgedClientHeaders();
      FlagContext decided = edge.route(inbound, HeaderGetter.forMap(), new ImmutableContext("user-1"));
      assertThat(decided.variants()).as("the edge decides every flag itself: %s", fleet).isEqualTo(fleet.edgeDecision);
      assertThat(decided.carried()).as("the edge carries nothing a client sent").isEmpty();
      Map<String, String> headers = stamp(edge, decided);
      assertMeshMatches(fleet, headers, "edge");

      boolean reported = false;
      for (int hop = 0; hop < fleet.relays.size(); hop++) {
        Relay relay = fleet.relays.get(hop);
        RoutingCounters counters = new RoutingCounters();
        FlagRouter router = FlagRouter.builder(relay.routes).mode(RoutingMode.RELAY).codec(relay.codec)
            .listener(counters).build();
        FlagContext seen = router.route(headers, HeaderGetter.forMap());
        assertThat(counters.dropped()).as("nothing within the limits is dropped at hop %s", hop + 1).isZero();
        reported |= counters.codecMismatches() > 0;
        String where = "hop " + (hop + 1) + " " + relay + " in " + fleet;
        if (!reported) {
          assertSeesTheEdgesDecision(fleet, relay, seen, counters, where);
        }
        if (relay.codec != fleet.meshCodec) {
          assertThat(reported).as("a misconfigured codec is reported at %s", where).isTrue();
        }
        headers = stamp(router, seen);
        if (!reported) {
          assertMeshMatches(fleet, headers, where);
        }
      }
    }
  }

  private static void assertSeesTheEdgesDecision(Fleet fleet, Relay relay, FlagContext seen, RoutingCounters counters,
      String where) {
    long unknown = 0;
    for (Map.Entry<String, String> edgeDecision : fleet.edgeDecision.entrySet()) {
      String key = edgeDecision.getKey();
      String variant = edgeDecision.getValue();
      FlagRoute route = relay.routes.get(key);
      if (route == null) {
        assertThat(seen.carried()).as("carried %s at %s", key, where).containsEntry(key, variant);
        continue;
      }
      FlagDecision decision = seen.decision(key);
      assertThat(decision.variant()).as("%s at %s", key, where).isEqualTo(variant);
      assertThat(decision.source()).isEqualTo(Source.RELAYED);
      if (!route.hasVariant(variant)) {
        assertThat(decision.reason()).isEqualTo(FlagDecision.UNKNOWN_VARIANT);
        unknown++;
      }
    }
    assertThat(counters.unknownVariants()).as("older routes are reported at %s", where).isEqualTo(unknown);
    assertThat(counters.dropped()).isZero();
    assertThat(seen.size()).as("every routed flag decided").isEqualTo(relay.routes.size());
  }

  /** The mesh's rules, generated from the new routes, match exactly the edge's variant of every flag. */
  private static void assertMeshMatches(Fleet fleet, Map<String, String> headers, String where) {
    for (FlagRoute route : fleet.newRoutes.asList()) {
      for (String variant : route.variants().keySet()) {
        HeaderMatch match = fleet.meshCodec.match(route, variant);
        String value = HeaderGetter.forMap().get(headers, match.header());
        boolean matches = value != null && (match.type() == HeaderMatch.Type.EXACT ? value.equals(match.value())
            : Pattern.compile(match.value()).matcher(value).matches());
        assertThat(matches).as("the mesh matches %s=%s after %s: %s", route.key(), variant, where, headers)
            .isEqualTo(variant.equals(fleet.edgeDecision.get(route.key())));
      }
    }
  }

  private static Map<String, String> stamp(FlagRouter router, FlagContext flags) {
    Map<String, String> outbound = new LinkedHashMap<>();
    outbound.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    outbound.put("baggage", "userid=7");
    router.codec().inject(flags, outbound, HeaderSetter.forMap());
    return outbound;
  }

  /** What a client forges: flags of every codec, in any case, with newer and unknown variants. */
  private static Map<String, String> forgedClientHeaders() {
    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("X-Flag-F0", "d");
    forged.put("x-flag-f1", "a");
    forged.put("x-flag-stowaway", "v9");
    forged.put("X-Flags", "f0=d,f2=a,stowaway=v9");
    forged.put("Baggage", "flag.f1=d,flag.stowaway=v9");
    return forged;
  }

  @Provide
  Arbitrary<Fleet> fleets() {
    return Arbitraries.randomValue(Fleet::random);
  }

  /** One relay: its routes and its codec. */
  record Relay(FlagRoutes routes, HeaderCodec codec) {
    @Override
    public String toString() {
      return routes.asList().stream().map(r -> r.key() + r.variants().keySet()).toList() + " " + codec;
    }
  }

  /**
   * A fleet: the flags' new routes (the old ones lack each flag's last variant), which routes the
   * edge runs, the relays in call order, the mesh's codec, and the edge's decision.
   */
  record Fleet(FlagRoutes newRoutes, FlagRoutes oldRoutes, boolean edgeUpdated, List<Relay> relays,
      HeaderCodec meshCodec, Map<String, String> edgeDecision) {

    FlagRoutes edgeRoutes() {
      return edgeUpdated ? newRoutes : oldRoutes;
    }

    static Fleet random(Random random) {
      int flags = 1 + random.nextInt(4);
      List<FlagRoute> newer = new ArrayList<>();
      List<FlagRoute> older = new ArrayList<>();
      for (int i = 0; i < flags; i++) {
        int variants = 2 + random.nextInt(3);
        boolean changed = random.nextBoolean() && variants > 2;
        newer.add(route("f" + i, variants));
        older.add(route("f" + i, changed ? variants - 1 : variants));
      }
      FlagRoutes newRoutes = FlagRoutes.of(newer.toArray(FlagRoute[]::new));
      FlagRoutes oldRoutes = FlagRoutes.of(older.toArray(FlagRoute[]::new));
      HeaderCodec mesh = CODECS.get(random.nextInt(CODECS.size()));
      boolean edgeUpdated = random.nextBoolean();
      List<Relay> relays = new ArrayList<>();
      int hops = 1 + random.nextInt(5);
      for (int hop = 0; hop < hops; hop++) {
        List<FlagRoute> routes = new ArrayList<>();
        for (int i = 0; i < flags; i++) {
          if (random.nextInt(3) > 0) {
            routes.add(random.nextBoolean() ? newer.get(i) : older.get(i));
          }
        }
        if (random.nextInt(10) == 0) {
          routes.add(route("local" + hop, 2));
        }
        HeaderCodec codec = random.nextInt(8) == 0 ? CODECS.get(random.nextInt(CODECS.size())) : mesh;
        relays.add(new Relay(FlagRoutes.of(routes.toArray(FlagRoute[]::new)), codec));
      }
      FlagRoutes edge = edgeUpdated ? newRoutes : oldRoutes;
      Map<String, String> decision = new LinkedHashMap<>();
      for (FlagRoute route : edge.asList()) {
        List<String> variants = List.copyOf(route.variants().keySet());
        decision.put(route.key(), variants.get(random.nextInt(variants.size())));
      }
      return new Fleet(newRoutes, oldRoutes, edgeUpdated, relays, mesh, decision);
    }

    private static FlagRoute route(String key, int variants) {
      FlagRoute.Builder builder = FlagRoute.builder(key).service("svc-" + key);
      for (int v = 0; v < variants; v++) {
        builder.variant(ALL_VARIANTS.get(v), "v" + v);
      }
      return builder.defaultVariant("a").build();
    }

    @Override
    public String toString() {
      return "fleet(mesh " + meshCodec + ", edge " + (edgeUpdated ? "new" : "old") + " routes deciding " + edgeDecision
          + ", relays " + relays + ")";
    }
  }
}
