package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Mirror;
import dev.flagroute.routes.ServiceRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for mesh properties: valid flag routes (one to three services, one to three flags
 * each, two to four variants, versions shared between variants and flags or, for some services,
 * only one version besides the stable one; some non-default variants mirrored to another version
 * with 100%, 50% or 25%; keys in mixed case, variants that YAML 1.1 or regexes treat specially),
 * decided contexts and every codec; and what each format must refuse, worked out from the routes
 * alone.
 */
final class MeshArbitraries {
  static final List<String> SERVICES = List.of("reviews", "ratings", "cart");
  static final List<String> KEYS = List.of("checkout", "Dark-Mode", "search.v2", "a1", "New-UI", "x", "beta", "B.2",
      "pricing");
  static final List<String> VARIANTS = List.of("on", "off", "v2", "A_b.1", "yes", "No", "0777", "blue", "1e3");
  static final List<String> VERSIONS = List.of("v1", "v2", "v3", "stable", "canary");

  private MeshArbitraries() {}

  /**
   * A flag: its variants, the default's index, each variant's version; the index of a mirrored
   * variant (none if negative or the default), the mirror's version and percent.
   */
  private record FlagSpec(List<String> variants, int defaultIndex, List<String> versions, int mirrorIndex,
      String mirrorVersion, int mirrorPercent) {}

  /** A service: its stable version, its flags, and whether its flags reach one other version only. */
  private record ServiceSpec(String stable, List<FlagSpec> flags, boolean narrow) {}

  /** Valid routes whose flags of one service agree on its stable version. */
  static Arbitrary<FlagRoutes> routes() {
    Arbitrary<FlagSpec> flag = Arbitraries.of(VARIANTS).list().uniqueElements().ofMinSize(2).ofMaxSize(4)
        .flatMap(variants -> Combinators.combine(
            Arbitraries.integers().between(0, variants.size() - 1),
            Arbitraries.of(VERSIONS).list().ofSize(variants.size()),
            Arbitraries.integers().between(-6, variants.size() - 1),
            Arbitraries.of(VERSIONS),
            Arbitraries.of(100, 100, 50, 25))
            .as((defaultIndex, versions, mirrorIndex, mirrorVersion, percent) ->
                new FlagSpec(variants, defaultIndex, versions, mirrorIndex, mirrorVersion, percent)));
    Arbitrary<ServiceSpec> service = Combinators.combine(Arbitraries.of(VERSIONS),
        flag.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false)).as(ServiceSpec::new);
    return Combinators.combine(service.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false))
        .as(MeshArbitraries::assemble);
  }

  private static FlagRoutes assemble(List<ServiceSpec> services, boolean interleave) {
    List<List<FlagRoute>> perService = new ArrayList<>();
    int key = 0;
    for (int s = 0; s < services.size(); s++) {
      ServiceSpec spec = services.get(s);
      List<FlagRoute> flags = new ArrayList<>();
      String other = VERSIONS.stream().filter(v -> !v.equals(spec.stable)).findFirst().orElseThrow();
      for (FlagSpec f : spec.flags) {
        FlagRoute.Builder builder = FlagRoute.builder(KEYS.get(key++)).service(SERVICES.get(s));
        List<String> versions = new ArrayList<>();
        for (int v = 0; v < f.variants.size(); v++) {
          String version = v == f.defaultIndex ? spec.stable : f.versions.get(v);
          versions.add(spec.narrow && !version.equals(spec.stable) ? other : version);
          builder.variant(f.variants.get(v), versions.get(v));
        }
        if (f.mirrorIndex >= 0 && f.mirrorIndex != f.defaultIndex
            && !f.mirrorVersion.equals(versions.get(f.mirrorIndex))) {
          builder.mirror(f.variants.get(f.mirrorIndex), f.mirrorVersion, f.mirrorPercent);
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

  /**
   * Why {@code format} must refuse {@code routes} with {@code options}: a fragment of each
   * acceptable message, worked out from the routes without the generator; empty if it must not.
   * Size limits are not predicted here.
   */
  static List<String> refusals(MeshFormat format, FlagRoutes routes, MeshOptions options) {
    List<String> reasons = new ArrayList<>();
    boolean mirrors = routes.asList().stream().anyMatch(f -> !f.mirrors().isEmpty());
    if (format == MeshFormat.CONSUL) {
      if (mirrors) {
        reasons.add("Consul has no request mirroring");
      }
      if (!options.namePrefix().isEmpty()) {
        reasons.add("cannot apply; generate Consul rules without one");
      }
      if (!options.versionLabel().matches("[A-Za-z0-9][-A-Za-z0-9_]{0,48}[A-Za-z0-9]|[A-Za-z0-9]")) {
        reasons.add("is no such key");
      }
    } else if (format == MeshFormat.SMI) {
      if (mirrors) {
        reasons.add("SMI has no request mirroring");
      }
      for (ServiceRoutes service : routes.serviceRoutes()) {
        if (service.versions().stream().filter(v -> !v.equals(service.stableVersion())).distinct().count() > 1) {
          reasons.add("besides the stable version");
        }
        if (stableAheadOfLeaving(service)) {
          reasons.add("cannot require a header to be absent");
        }
      }
    } else if (format == MeshFormat.LINKERD) {
      if (mirrors) {
        reasons.add("Linkerd's policy controller refuses a route with a RequestMirror filter");
      }
    } else if (format == MeshFormat.gatewayApi(GatewayApiVersion.V1_1)) {
      if (routes.asList().stream().anyMatch(f -> f.mirrors().values().stream().anyMatch(m -> m.percent() < 100))) {
        reasons.add("has no RequestMirror percent");
      }
    }
    return reasons;
  }

  /** Whether a flag keeps a non-default variant on the stable version ahead of a flag that leaves it. */
  private static boolean stableAheadOfLeaving(ServiceRoutes service) {
    boolean stableSeen = false;
    for (FlagRoute flag : service.flags()) {
      if (stableSeen && flag.variants().values().stream().anyMatch(v -> !v.equals(service.stableVersion()))) {
        return true;
      }
      stableSeen |= flag.variants().entrySet().stream().anyMatch(e -> !e.getKey().equals(flag.defaultVariant())
          && e.getValue().equals(service.stableVersion()));
    }
    return false;
  }

  /**
   * The YAML {@code format} writes for {@code routes}, or empty after checking that a refusal
   * names one of the {@link #refusals} (or a size limit of Gateway API); fails if the format
   * refuses what it must write, or writes what it must refuse.
   */
  static Optional<String> generate(MeshGenerator generator, MeshFormat format, FlagRoutes routes,
      MeshOptions options) {
    List<String> reasons = refusals(format, routes, options);
    try {
      String yaml = generator.yaml(format);
      assertThat(reasons).as("%s must refuse %s", format, routes).isEmpty();
      return Optional.of(yaml);
    } catch (IllegalArgumentException e) {
      List<String> accepted = new ArrayList<>(reasons);
      if (format.readsAs() == MeshFormat.GATEWAY_API || format == MeshFormat.ISTIO_AMBIENT) {
        accepted.add("but Gateway API allows ");
      }
      assertThat(accepted).as("%s refused %s: %s", format, routes, e.getMessage()).anyMatch(e.getMessage()::contains);
      return Optional.empty();
    }
  }

  /** Every codec, with default and custom names, prefixes with regex metacharacters among them. */
  static Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.perFlag("x-ab-"), HeaderCodec.combined(),
        HeaderCodec.combined("x-feature-flags"), HeaderCodec.baggage(), HeaderCodec.baggage("ff."),
        HeaderCodec.baggage("ff+"), HeaderCodec.baggage("f*|^$"));
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
    FlagRoute deciding = deciding(routes, service, context);
    if (deciding != null) {
      return deciding.versionOf(context.variant(deciding.key()));
    }
    List<FlagRoute> flags = routes.asList().stream().filter(f -> f.service().equals(service)).toList();
    return flags.get(0).versionOf(flags.get(0).defaultVariant());
  }

  /** Where a request with {@code context} to {@code service} must be mirrored, by the same precedence; or null. */
  static Mirror expectedMirror(FlagRoutes routes, String service, FlagContext context) {
    FlagRoute deciding = deciding(routes, service, context);
    return deciding == null ? null : deciding.mirrorOf(context.variant(deciding.key()));
  }

  private static FlagRoute deciding(FlagRoutes routes, String service, FlagContext context) {
    List<FlagRoute> flags = routes.asList().stream().filter(f -> f.service().equals(service)).toList();
    for (FlagRoute flag : flags) {
      String variant = context.variant(flag.key());
      if (variant != null && !variant.equals(flag.defaultVariant())) {
        return flag;
      }
    }
    return null;
  }
}
