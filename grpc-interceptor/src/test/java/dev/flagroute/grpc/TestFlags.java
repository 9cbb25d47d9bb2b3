package dev.flagroute.grpc;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/** The routes every test uses, and routers over them. */
final class TestFlags {
  /** checkout: v1 (default), v2, v3; search: off (default), on; cohort: c0 (default) to c15. */
  static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("checkout").service("checkout")
          .variant("v1", "v1").variant("v2", "v2").variant("v3", "v3").defaultVariant("v1").build(),
      FlagRoute.builder("search").service("search")
          .variant("off", "off").variant("on", "on").defaultVariant("off").build(),
      cohort());

  private TestFlags() {}

  private static FlagRoute cohort() {
    FlagRoute.Builder builder = FlagRoute.builder("cohort").service("cohort").defaultVariant("c0");
    IntStream.range(0, 16).forEach(i -> builder.variant("c" + i, "c" + i));
    return builder.build();
  }

  /** A context as if every flag had been relayed from an earlier hop. */
  static FlagContext context(String checkout, String search, String cohort) {
    return FlagContext.builder(ROUTES)
        .relayed("checkout", checkout).relayed("search", search).relayed("cohort", cohort).build();
  }

  /** {@code variants} as a context prints them, in route order. */
  static String printed(Map<String, String> variants) {
    FlagContext.Builder builder = FlagContext.builder(ROUTES);
    variants.forEach(builder::relayed);
    return builder.build().variants().toString();
  }

  /** The variants a relay router gives a request without flag headers. */
  static Map<String, String> defaults() {
    return Map.of("checkout", "v1", "search", "off", "cohort", "c0");
  }

  static FlagRouter relay(HeaderCodec codec, RoutingListener listener) {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).codec(codec).listener(listener).build();
  }

  static FlagRouter relay() {
    return relay(HeaderCodec.perFlag(), RoutingListener.NOOP);
  }

  /**
   * An edge router whose OpenFeature provider decides by targeting key: users starting with
   * {@code beta-} get checkout v2 and search on, everyone else the defaults; cohort is c<n> for a
   * key ending in digits n (mod 16).
   */
  static FlagRouter edge(RoutingListener listener) {
    return edgeBuilder(listener).build();
  }

  /** The same edge, reporting the flag headers clients send ({@code reportForeignHeaders}). */
  static FlagRouter edgeReportingForeignHeaders(RoutingListener listener) {
    return edgeBuilder(listener).reportForeignHeaders(true).build();
  }

  private static FlagRouter.Builder edgeBuilder(RoutingListener listener) {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).listener(listener).client(openFeatureClient());
  }

  /** What {@link #edge} decides for {@code user}. */
  static Map<String, String> edgeVariants(String user) {
    boolean beta = user.startsWith("beta-");
    return Map.of("checkout", beta ? "v2" : "v1", "search", beta ? "on" : "off", "cohort", cohortOf(user));
  }

  private static String cohortOf(String user) {
    String digits = user.replaceAll("^.*?(\\d*)$", "$1");
    return digits.isEmpty() ? "c0" : "c" + Integer.parseInt(digits) % 16;
  }

  private static Client openFeatureClient() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new InMemoryProvider(Map.of(
        "checkout", flag("v1", key -> key.startsWith("beta-") ? "v2" : null, "v1", "v2", "v3"),
        "search", flag("off", key -> key.startsWith("beta-") ? "on" : null, "off", "on"),
        "cohort", flag("c0", TestFlags::cohortOf, IntStream.range(0, 16).mapToObj(i -> "c" + i)
            .toArray(String[]::new)))));
    return api.getClient();
  }

  private static Flag<String> flag(String defaultVariant, Function<String, String> byKey,
      String... variants) {
    Flag.FlagBuilder<String> builder = Flag.<String>builder().defaultVariant(defaultVariant)
        .contextEvaluator((flag, ctx) -> ctx == null || ctx.getTargetingKey() == null
            ? null : byKey.apply(ctx.getTargetingKey()));
    for (String variant : variants) {
      builder.variant(variant, variant);
    }
    return builder.build();
  }
}
