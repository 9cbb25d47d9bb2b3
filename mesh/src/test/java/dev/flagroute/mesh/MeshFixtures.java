package dev.flagroute.mesh;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Routes and mesh files the tests of every package share; files live under {@code src/test/resources/mesh/}. */
public final class MeshFixtures {
  /** Two flags steering {@code reviews}: checkout v1/v2, and ratings off (v1) / on (v3). */
  public static final FlagRoutes TWO_FLAGS = FlagRoutes.of(
      FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
          .build(),
      FlagRoute.builder("ratings").service("reviews").variant("off", "v1").variant("on", "v3").defaultVariant("off")
          .build());

  private MeshFixtures() {}

  /** The pattern {@code codec} matches {@code variant} of {@code flag} of {@link #TWO_FLAGS} with. */
  public static String pattern(HeaderCodec codec, String flag, String variant) {
    return codec.match(TWO_FLAGS.get(flag), variant).value();
  }

  /** The text of {@code mesh/<name>} on the test class path. */
  public static String resource(String name) {
    try (InputStream in = MeshFixtures.class.getResourceAsStream("/mesh/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The routes of {@code example-routes.yaml}: checkout steering reviews. */
  public static FlagRoutes exampleRoutes() {
    return FlagRoutesFile.parse(resource("example-routes.yaml"), "example-routes.yaml");
  }

  /** A flag {@code key} steering {@code service}: variant v1 (the default) to version v1, v2 to v2. */
  public static FlagRoute flag(String key, String service) {
    return FlagRoute.builder(key).service(service).variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build();
  }

  /** A {@code GET /} request with the given header names and values. */
  public static MeshRequest headers(String... namesAndValues) {
    MeshRequest.Builder builder = MeshRequest.builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.header(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  /** The name of the rule {@code mesh} picks for {@code request} to {@code service}, or {@code none}. */
  public static String rule(MeshRouteEvaluator mesh, String service, MeshRequest request) {
    return mesh.route(service, request).map(MeshRoute::rule).orElse("none");
  }

  /** {@code kind name} of a generated document, e.g. {@code HTTPRoute reviews}. */
  public static String kindAndName(Map<String, Object> document) {
    return document.get("kind") + " " + ((Map<?, ?>) document.get("metadata")).get("name");
  }
}
