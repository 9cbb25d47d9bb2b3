package dev.flagroute.demo.k8s;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.demo.app.Shop;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The routes one format's rules are generated from: the demo's routes, or, for a format that
 * cannot mirror (the generator refuses the routes, and accepts them less their mirrors), the
 * routes less their mirrors, with the generator's own refusal to say why.
 *
 * @param routes the routes the format's rules are generated from and checked against
 * @param refusal why the format cannot have the demo's mirrors, in the generator's words, or {@code null}
 */
public record FormatRoutes(FlagRoutes routes, String refusal) {

  /**
   * The routes {@code format} generates rules from, with the demo's header codec and mesh options.
   *
   * @throws IllegalArgumentException if the format refuses the routes for another reason than a mirror
   */
  public static FormatRoutes of(FlagRoutes routes, MeshFormat format) {
    try {
      generator(routes).generate(format);
      return new FormatRoutes(routes, null);
    } catch (IllegalArgumentException refused) {
      FlagRoutes unmirrored = withoutMirrors(routes);
      if (unmirrored.equals(routes)) {
        throw refused;
      }
      generator(unmirrored).generate(format);
      return new FormatRoutes(unmirrored, refused.getMessage());
    }
  }

  /** Why the format cannot have the demo's mirrors, in the generator's words; empty when it has them. */
  public Optional<String> mirrorRefusal() {
    return Optional.ofNullable(refusal);
  }

  /** The generator of the demo's rules for {@code routes}. */
  static MeshGenerator generator(FlagRoutes routes) {
    return MeshGenerator.of(routes, HeaderCodec.perFlag(), Shop.meshOptions());
  }

  /** {@code routes} with every variant served as before and mirrored nowhere. */
  static FlagRoutes withoutMirrors(FlagRoutes routes) {
    List<FlagRoute> plain = new ArrayList<>();
    for (FlagRoute route : routes) {
      FlagRoute.Builder builder = FlagRoute.builder(route.key()).service(route.service());
      route.variants().forEach(builder::variant);
      plain.add(builder.defaultVariant(route.defaultVariant()).build());
    }
    return FlagRoutes.of(plain);
  }
}
