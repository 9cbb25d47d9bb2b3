package dev.flagroute.demo.run;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.demo.app.RatingsApi;
import dev.flagroute.demo.app.Shop;
import dev.flagroute.demo.mesh.LocalMesh;
import dev.flagroute.demo.mesh.Workload;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The demo's last scenario: a new variant of the ratings flag ({@code deep}, served by ratings v3)
 * is rolled out twice across a small fleet, relays first and then edge first, and each user's
 * request is followed through the edge, a relay (reviews) and the mesh hop to ratings. The fleet
 * runs real routers, reloaded with {@link FlagRouter#reload}, and mesh rules generated from each
 * routes version and evaluated as the shop's mesh does; it needs no servers, so each deployment
 * step is one reload.
 */
final class RolloutOrder {
  private static final String FLAG = "ratings-model";
  private static final String NEW_VARIANT = "deep";
  private static final String NEW_VERSION = "v3";
  private static final Set<String> WANT_NEW = Set.of("alice", "carol", "grace");
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();

  private final Report report;
  private final FlagRoutes before;
  private final FlagRoutes after;
  private final LocalMesh oldMesh;
  private final LocalMesh newMesh;
  private final List<Workload> ratings = new ArrayList<>();
  private final RoutingCounters edgeCounters = new RoutingCounters();
  private final RoutingCounters relayCounters = new RoutingCounters();
  private FlagRouter edge;
  private FlagRouter reviews;
  private final Map<String, FlagRouter> ratingsRelays = new LinkedHashMap<>();
  private LocalMesh mesh;
  /** Requests a ratings relay saw carrying a variant it does not know, as their reason says. */
  private long carriedUnknown;
  /** What reviews last forwarded for a user decided the new variant. */
  private String forwarded;

  RolloutOrder(FlagRoutes routes, Report report) {
    this.report = report;
    this.before = routes;
    this.after = withVariant(routes);
    this.oldMesh = mesh(before);
    this.newMesh = mesh(after);
    int port = 1;
    for (String version : Shop.versions(after, Shop.RATINGS)) {
      ratings.add(Workload.of(Shop.RATINGS, version, LocalShop.HOST, port++));
    }
  }

  private static FlagRoutes withVariant(FlagRoutes routes) {
    List<FlagRoute> changed = new ArrayList<>();
    for (FlagRoute route : routes) {
      if (!route.key().equals(FLAG)) {
        changed.add(route);
        continue;
      }
      FlagRoute.Builder builder = FlagRoute.builder(route.key()).service(route.service());
      route.variants().forEach(builder::variant);
      changed.add(builder.variant(NEW_VARIANT, NEW_VERSION).defaultVariant(route.defaultVariant()).build());
    }
    return FlagRoutes.of(changed);
  }

  private static LocalMesh mesh(FlagRoutes routes) {
    return LocalMesh.of(MeshGenerator.of(routes, HeaderCodec.perFlag(), Shop.meshOptions()).generate(MeshFormat.ISTIO));
  }

  void run() {
    OpenFeatureAPI openFeature = OpenFeatureAPI.createIsolated();
    try {
      openFeature.setProviderAndWait(provider());
      edge = FlagRouter.builder(before).mode(RoutingMode.EDGE).client(openFeature.getClient()).noCache()
          .listener(edgeCounters).build();
      reviews = FlagRouter.builder(before).mode(RoutingMode.RELAY).service(Shop.REVIEWS, "v1")
          .listener(relayCounters).build();
      for (Workload workload : ratings) {
        ratingsRelays.put(workload.labels().get("version"), FlagRouter.builder(before).mode(RoutingMode.RELAY)
            .service(Shop.RATINGS, workload.labels().get("version")).listener(relayCounters).build());
      }
      report.heading("A new variant rolls out: relays first keeps every hop consistent, edge first misroutes",
          FLAG + " gains '" + NEW_VARIANT + "' (ratings " + NEW_VERSION + "); the provider already answers it for "
              + String.join(", ", WANT_NEW.stream().sorted().toList()) + ". Each step reloads routes in place"
              + " (FlagRouter.reload); the mesh's rules are generated from the routes of its step.");
      relaysFirst();
      edgeFirst();
    } finally {
      openFeature.shutdown();
    }
  }

  private void relaysFirst() {
    report.note("Relays first: 1. mesh rules and relays take the new routes, 2. then the edge.");
    deployRelaysAndMesh(after);
    long foreignBefore = edgeCounters.evaluationFailures(EvaluationFailure.FOREIGN_VARIANT);
    List<String> wrong = step("1. rules+relays new, edge old", Expect.CONSISTENT);
    long foreign = edgeCounters.evaluationFailures(EvaluationFailure.FOREIGN_VARIANT) - foreignBefore;
    report.check(wrong.isEmpty() && foreign == WANT_NEW.size() ? null
            : "relays first, step 1: " + wrong + "; the edge reported " + foreign + " FOREIGN_VARIANT answers",
        "Step 1: every hop consistent; the old edge kept '" + NEW_VARIANT + "' users on the default and reported"
            + " the provider's " + foreign + " answers as FOREIGN_VARIANT.");
    edge.reload(after, "routes with " + NEW_VARIANT);
    List<String> done = step("2. edge new too", Expect.CONSISTENT);
    report.check(done.isEmpty() ? null : "relays first, step 2: " + done,
        "Step 2: every hop consistent; " + WANT_NEW.size() + " users now on ratings " + NEW_VERSION + ".");
    report.blank();
  }

  private void edgeFirst() {
    edge.reload(before, "back to the old routes");
    deployRelaysAndMesh(before);
    report.note("Edge first (everything back on the old routes): 1. the edge takes the new routes, 2. then mesh"
        + " rules and relays.");
    long unknownBefore = unknownVariants();
    edge.reload(after, "routes with " + NEW_VARIANT);
    List<String> misrouted = step("1. edge new, rules+relays old", Expect.NEW_USERS_MISROUTED);
    long unknown = unknownVariants() - unknownBefore;
    report.note(NEW_VARIANT.equals(forwarded)
        ? "reviews, on the older routes, forwarded '" + NEW_VARIANT + "' unchanged and reported it (UNKNOWN_VARIANT);"
            + " the older mesh rules have no route for it and send those users to the default version."
        : "reviews, on the older routes, dropped '" + NEW_VARIANT + "' (UNKNOWN_VARIANT) and forwarded '" + forwarded
            + "'; the older mesh rules send those users to the default version either way.");
    report.check(misrouted.isEmpty() && unknown > 0 ? null
            : "edge first, step 1: " + misrouted + "; relays reported " + unknown + " unknown variants",
        "Step 1: " + WANT_NEW.size() + " users decided '" + NEW_VARIANT + "' were served by the default ratings"
            + " version: a misroute, made loud by the relays' " + unknown + " UNKNOWN_VARIANT reports.");
    deployRelaysAndMesh(after);
    List<String> done = step("2. rules+relays new too", Expect.CONSISTENT);
    report.check(done.isEmpty() ? null : "edge first, step 2: " + done,
        "Step 2: every hop consistent again. Add variants relays first; remove them edge first"
            + " ('flagroute compat OLD NEW' says which).");
    report.blank();
  }

  /** Unknown variants the relays reported: dropped with that reason, or carried with it as their reason. */
  private long unknownVariants() {
    return relayCounters.dropped(DropReason.UNKNOWN_VARIANT) + carriedUnknown;
  }

  private void deployRelaysAndMesh(FlagRoutes routes) {
    reviews.reload(routes, "reviews deploy");
    ratingsRelays.values().forEach(relay -> relay.reload(routes, "ratings deploy"));
    mesh = routes == after ? newMesh : oldMesh;
  }

  private enum Expect { CONSISTENT, NEW_USERS_MISROUTED }

  /** Sends one request per user through the fleet, prints the table, and returns what was not as expected. */
  private List<String> step(String title, Expect expect) {
    Table table = new Table("STEP", "USER", "EDGE DECIDED", "REVIEWS FORWARDS", "RATINGS SERVED BY",
        "RATINGS SAW", "EVERY HOP MATCHES");
    List<String> wrong = new ArrayList<>();
    for (String user : Scenarios.USERS) {
      Map<String, String> fromEdge = new LinkedHashMap<>();
      FlagContext decided = edge.route(Map.of(), GETTER, new ImmutableContext(user));
      edge.codec().inject(decided, fromEdge, Map::put);
      FlagContext atReviews = reviews.route(fromEdge, GETTER);
      Map<String, String> fromReviews = new LinkedHashMap<>();
      reviews.codec().inject(atReviews, fromReviews, Map::put);
      String header = HeaderCodec.perFlag().headerNames(FlagRoutes.of(after.get(FLAG))).get(0);
      MeshRequest.Builder call = MeshRequest.builder().method("POST").path("/" + RatingsApi.GET.getFullMethodName())
          .header("content-type", "application/grpc");
      fromReviews.forEach(call::header);
      String version = mesh.route(Shop.RATINGS, call.build(), ratings).map(workload -> workload.labels().get("version"))
          .orElse("503");
      FlagRouter served = ratingsRelays.get(version);
      FlagDecision seen = served == null ? null : served.route(fromReviews, GETTER).decision(FLAG);
      if (seen != null && "UNKNOWN_VARIANT".equals(seen.reason())) {
        carriedUnknown++;
      }
      String variant = decided.variant(FLAG);
      if (NEW_VARIANT.equals(variant)) {
        forwarded = fromReviews.get(header);
      }
      String should = after.get(FLAG).versionOf(variant);
      boolean matches = version.equals(should) && seen != null && variant.equals(seen.variant());
      boolean misrouteExpected = expect == Expect.NEW_USERS_MISROUTED && NEW_VARIANT.equals(variant);
      if (matches == misrouteExpected) {
        wrong.add(user + (matches ? " was routed consistently, a misroute was expected" : " was misrouted"));
      }
      table.row(title, user, variant + " (" + decided.decision(FLAG).source().name().toLowerCase(Locale.ROOT) + ")",
          String.valueOf(fromReviews.get(header)), "ratings " + version,
          seen == null ? "-" : seen.variant() + " (" + seen.reason() + ")",
          matches ? "yes" : "MISROUTED: decided " + variant + " (ratings " + should + "), served by ratings " + version);
    }
    report.print(table);
    return wrong;
  }

  private static InMemoryProvider provider() {
    return new InMemoryProvider(Map.of(
        FLAG, Flag.<String>builder().variant("classic", "classic").variant(NEW_VARIANT, NEW_VARIANT)
            .defaultVariant("classic")
            .contextEvaluator((flag, ctx) -> WANT_NEW.contains(ctx.getTargetingKey()) ? NEW_VARIANT : null).build(),
        "new-reviews", Flag.<String>builder().variant("stable", "stable").defaultVariant("stable").build()));
  }
}
