package dev.flagroute.mesh;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for mesh properties: valid flag routes (one to three services, one to three flags
 * each, two to four variants, versions shared between variants and flags, keys in mixed case,
 * variants that YAML 1.1 or regexes treat specially), decided contexts and every codec.
 */
final class MeshArbitraries {
  static final List<String> SERVICES = List.of("reviews", "ratings", "cart");
  static final List<String> KEYS = List.of("checkout", "Dark-Mode", "search.v2", "a1", "New-UI", "x", "beta", "B.2",
      "pricing");
  static final List<String> VARIANTS = List.of("on", "off", "v2", "A_b.1", "yes", "No", "0777", "blue", "1e3");
  static final List<String> VERSIONS = List.of("v1", "v2", "v3", "stable", "canary");

  private MeshArbitraries() {}

  private record FlagSpec(List<String> variants, int defaultIndex, List<String> versions) {}

  private record ServiceSpec(String stable, List<FlagSpec> flags) {}

  /** Valid routes whose flags of one service agree on its stable version. */
  static Arbitrary<FlagRoutes> routes() {
    Arbitrary<FlagSpec> flag = Arbitraries.of(VARIANTS).list().uniqueElements().ofMinSize(2).ofMaxSize(4)
        .flatMap(variants -> Combinators.combine(
            Arbitraries.integers().between(0, variants.size() - 1),
            Arbitraries.of(VERSIONS).list().ofSize(variants.size()))
            .as((defaultIndex, versions) -> new FlagSpec(variants, defaultIndex, versions)));
    Arbitrary<ServiceSpec> service = Combinators.combine(Arbitraries.of(VERSIONS),
        flag.list().ofMinSize(1).ofMaxSize(3)).as(ServiceSpec::new);
    return Combinators.combine(service.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false))
        .as(MeshArbitraries::assemble);
  }

  private static FlagRoutes assemble(List<ServiceSpec> services, boolean interleave) {
    List<List<FlagRoute>> perService = new ArrayList<>();
    int key = 0;
    for (int s = 0; s < services.size(); s++) {
      ServiceSpec spec = services.get(s);
      List<FlagRoute> flags = new ArrayList<>();
      for (FlagSpec f : spec.flags) {
        FlagRoute.Builder builder = FlagRoute.builder(KEYS.get(key++)).service(SERVICES.get(s));
        for (int v = 0; v < f.variants.size(); v++) {
          builder.variant(f.variants.get(v), v == f.defaultIndex ? spec.stable : f.versions.get(v));
        }
        flags.add(builder.defaultVariant(f.variants.get(f.defaultIndex)).build());
      }
      perService.add(flags);
    }
    List<FlagRoute> all = new ArrayList<>();
    if (interleave) {
      for (int i = 0; i < 3; i++) {
        for (List<FlagRoute> flags : perService) {
          if (i < flags.size()) {
            all.add(flags.get(i));
          }
        }
      }
    } else {
      perService.forEach(all::addAll);
    }
    return FlagRoutes.of(all);
  }

  /** Every codec, with default and custom names. */
  static Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.perFlag("x-ab-"), HeaderCodec.combined(),
        HeaderCodec.combined("x-feature-flags"), HeaderCodec.baggage(), HeaderCodec.baggage("ff."));
  }

  /**
   * A context for {@code routes}: flag {@code i} is absent when {@code choices[i]} is negative,
   * else decided (evaluated or relayed) as variant {@code choices[i]} modulo its variant count.
   */
  static FlagContext context(FlagRoutes routes, List<Integer> choices) {
    FlagContext.Builder builder = FlagContext.builder(routes);
    for (int i = 0; i < routes.size(); i++) {
      int choice = choices.get(i % choices.size());
      if (choice >= 0) {
        FlagRoute route = routes.asList().get(i);
        String variant = new ArrayList<>(route.variants().keySet()).get(choice % route.variants().size());
        if (choice % 2 == 0) {
          builder.relayed(route.key(), variant);
        } else {
          builder.evaluated(route.key(), variant, "TARGETING_MATCH");
        }
      }
    }
    return builder.build();
  }

  /**
   * The version a request with {@code context} must reach on {@code service}, computed directly
   * from the documented precedence: the first flag of the service, in declaration order, whose
   * decided variant is not its default; else the stable version.
   */
  static String expectedVersion(FlagRoutes routes, String service, FlagContext context) {
    List<FlagRoute> flags = routes.asList().stream().filter(f -> f.service().equals(service)).toList();
    for (FlagRoute flag : flags) {
      String variant = context.variant(flag.key());
      if (variant != null && !variant.equals(flag.defaultVariant())) {
        return flag.versionOf(variant);
      }
    }
    return flags.get(0).versionOf(flags.get(0).defaultVariant());
  }
}
