package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.mesh.crd.CrdSchemaValidator;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshRoute;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.mesh.MeshYaml;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.routes.Mirror;
import dev.flagroute.routes.ServiceRoutes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The acceptance test, through the command line: for {@code every-mesh/routes.yaml} (two
 * services, two flags on reviews, a mirrored variant), the output of {@code flagroute generate} for
 * istio, istio-ambient, gateway-api for 1.6 and 1.1, linkerd, consul and smi (those three from the
 * same routes without the mirror, which they refuse) validates strictly against the CRDs in the
 * shared schema folder, Gateway API also against v1.1.1 (Linkerd's), Linkerd's also against
 * v1.2.1; the evaluator of each format routes every stamped combination of variants, with every
 * codec, to the decided version and mirror; and {@code flagroute check} finds no drift.
 */
@Tag("crd-schemas")
class EveryMeshCliTest {
  private static final String ROUTES = fixture("/cli/every-mesh/routes.yaml");
  private static final String WITHOUT_MIRROR = fixture("/cli/every-mesh/routes-without-mirror.yaml");
  private static final List<String> OPTIONS = List.of("--port", "9080", "--grpc", "ratings");

  @TempDir
  Path dir;

  static Stream<Arguments> formats() {
    return Stream.of(
        Arguments.of("istio", List.of(), ROUTES, false),
        Arguments.of("istio-ambient", List.of("--waypoint", "shop-waypoint"), ROUTES, false),
        Arguments.of("gateway-api", List.of(), ROUTES, true),
        Arguments.of("gateway-api", List.of("--gateway-api-version", "1.6"), ROUTES, true),
        Arguments.of("gateway-api", List.of("--gateway-api-version", "1.1"), ROUTES, true),
        Arguments.of("linkerd", List.of(), WITHOUT_MIRROR, true),
        Arguments.of("consul", List.of(), WITHOUT_MIRROR, false),
        Arguments.of("smi", List.of(), WITHOUT_MIRROR, false));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("formats")
  void generatedRulesValidateAndRouteEveryStampedCombination(String format, List<String> target, String routesFile,
      boolean gatewayApi) {
    FlagRoutes routes = FlagRoutesFile.load(Path.of(routesFile));
    for (String codec : List.of("per-flag", "combined", "baggage")) {
      List<String> args = new ArrayList<>(List.of("generate", format, "--routes", routesFile, "--codec", codec));
      args.addAll(OPTIONS);
      args.addAll(target);
      Run generated = run(args);
      assertThat(generated.status).as(generated.err).isZero();

      List<String> errors = new ArrayList<>(CrdSchemaValidator.shared().validateYaml(crds(generated.out)));
      if (gatewayApi) {
        CrdSchemaValidator.gatewayApiV1_1().validateYaml(crds(generated.out)).forEach(e -> errors.add("v1.1.1 " + e));
      }
      if (format.equals("linkerd")) {
        CrdSchemaValidator.gatewayApiV1_2().validateYaml(crds(generated.out)).forEach(e -> errors.add("v1.2.1 " + e));
      }
      assertThat(errors).as("%s %s %s", format, target, codec).isEmpty();

      MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(generated.out, format);
      Map<String, String> versions = versions(MeshYaml.read(generated.out, format));
      HeaderCodec headerCodec = switch (codec) {
        case "combined" -> HeaderCodec.combined();
        case "baggage" -> HeaderCodec.baggage();
        default -> HeaderCodec.perFlag();
      };
      int checked = 0;
      for (FlagContext context : everyCombination(routes)) {
        Map<String, String> headers = new TreeMap<>();
        headerCodec.inject(context, headers, HeaderSetter.forMap());
        for (ServiceRoutes service : routes.serviceRoutes()) {
          String version = service.version(flag -> context.variant(flag.key()));
          Mirror mirror = service.mirror(flag -> context.variant(flag.key())).orElse(null);
          MeshRoute route = mesh.route(service.service(), MeshRequest.of(headers)).orElseThrow();
          String as = format + " " + target + " " + codec + " " + service.service() + " " + headers;
          assertThat(versions.get(route.primary().host() + "/" + route.primary().subset())).as(as).isEqualTo(version);
          assertThat(route.mirrors()).as(as).hasSize(mirror == null ? 0 : 1);
          if (mirror != null) {
            assertThat(versions.get(route.mirrors().get(0).host() + "/" + route.mirrors().get(0).subset())).as(as)
                .isEqualTo(mirror.version());
            assertThat(route.mirrors().get(0).percent()).as(as).isEqualTo(mirror.percent());
          }
          checked++;
        }
      }
      assertThat(checked).as("3 x 4 combinations of reviews' flags, 3 of ratings', for each service").isEqualTo(72);

      writeAndCheck(dir.resolve(format + "-" + codec + ".yaml"), generated.out, routesFile, codec);
    }
  }

  @Test
  void linkerdConsulAndSmiRefuseTheMirrorSayingWhy() {
    Run linkerd = run(List.of("generate", "linkerd", "--routes", ROUTES));
    assertThat(linkerd.status).isEqualTo(2);
    assertThat(linkerd.out).isEmpty();
    assertThat(linkerd.err).startsWith("flagroute generate: cannot generate rules: service 'reviews': flag 'stars'"
        + " mirrors variant 'dark' to v2, but Linkerd's policy controller refuses a route with a RequestMirror filter"
        + " (\"RequestMirror filter is not supported\") and then ignores the whole route, flag matches included");
    Run consul = run(List.of("generate", "consul", "--routes", ROUTES));
    assertThat(consul.status).isEqualTo(2);
    assertThat(consul.err).startsWith("flagroute generate: cannot generate rules: service 'reviews': flag 'stars'"
        + " mirrors variant 'dark' to v2, but Consul has no request mirroring");
    Run smi = run(List.of("generate", "smi", "--routes", ROUTES));
    assertThat(smi.status).isEqualTo(2);
    assertThat(smi.err).startsWith("flagroute generate: cannot generate rules: service 'reviews': flag 'stars'"
        + " mirrors variant 'dark' to v2, but SMI has no request mirroring");
  }

  /**
   * The version each destination of the documents reaches, keyed {@code host/subset}, read from the
   * documents themselves: an Istio subset's labels, a Consul subset's filter, a Service's selector.
   */
  private static Map<String, String> versions(List<Map<String, Object>> documents) {
    Map<String, String> versions = new TreeMap<>();
    for (Map<String, Object> document : documents) {
      Map<?, ?> spec = (Map<?, ?>) document.get("spec");
      String name = String.valueOf(((Map<?, ?>) document.get("metadata")).get("name"));
      switch (String.valueOf(document.get("kind"))) {
        case "Service" -> versions.put(name + "/null", String.valueOf(((Map<?, ?>) spec.get("selector")).get("version")));
        case "DestinationRule" -> ((List<?>) spec.get("subsets")).forEach(subset -> versions.put(spec.get("host") + "/"
            + ((Map<?, ?>) subset).get("name"), String.valueOf(((Map<?, ?>) ((Map<?, ?>) subset).get("labels"))
            .get("version"))));
        case "ServiceResolver" -> ((Map<?, ?>) spec.get("subsets")).forEach((subset, filter) -> versions.put(name + "/"
            + subset, String.valueOf(((Map<?, ?>) filter).get("filter")).replaceAll("^Service\\.Meta\\.version == \"(.*)\"$",
            "$1")));
        default -> { }
      }
    }
    return versions;
  }

  /** Every context: each flag absent or decided as each of its variants. */
  private static List<FlagContext> everyCombination(FlagRoutes routes) {
    List<FlagContext> contexts = new ArrayList<>(List.of(FlagContext.builder(routes).build()));
    for (FlagRoute flag : routes) {
      List<FlagContext> next = new ArrayList<>(contexts);
      for (FlagContext context : contexts) {
        for (String variant : flag.variants().keySet()) {
          next.add(context.toBuilder().relayed(flag.key(), variant).build());
        }
      }
      contexts = next;
    }
    return contexts;
  }

  private static void writeAndCheck(Path file, String yaml, String routesFile, String codec) {
    try {
      Files.writeString(file, yaml);
      Run check = run(List.of("check", "--routes", routesFile, "--mesh", file.toString(), "--codec", codec));
      assertThat(check.status).as(check.out + check.err).isZero();
      assertThat(check.out).startsWith("no drift: 3 flags on 2 services agree with ");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      file.toFile().delete();
    }
  }

  /** The documents of {@code yaml} that CRDs define: all but core {@code v1} Services. */
  private static String crds(String yaml) {
    List<Map<String, Object>> documents = MeshYaml.read(yaml, "generated").stream()
        .filter(d -> !"v1".equals(d.get("apiVersion"))).toList();
    assertThat(documents).isNotEmpty();
    return MeshYaml.write(documents);
  }

  private static Run run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Run(int status, String out, String err) {}

  private static String fixture(String name) {
    try {
      return Path.of(EveryMeshCliTest.class.getResource(name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
