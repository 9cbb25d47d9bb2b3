package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.mesh.MeshYaml;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String fixture(String name) {
    try {
      return Path.of(MainTest.class.getResource("/mesh/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void usageListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out()).startsWith("Usage: flagroute <command> [options]").contains(
        "  generate   generate mesh rules (istio, istio-ambient, gateway-api, linkerd, consul, smi) from flag routes",
        "  check      check existing mesh rules for drift from flag routes",
        "  token      mint a signed override token that forces flag variants for testers");
    assertThat(run()).isEqualTo(2);
    assertThat(err()).startsWith("Usage: flagroute");
    assertThat(run("deploy")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute: unknown command 'deploy'\nUsage:");
  }

  @Test
  void eachCommandHasHelp() {
    assertThat(run("generate", "--help")).isZero();
    assertThat(out()).startsWith("Usage: flagroute generate istio|istio-ambient|gateway-api|linkerd|consul|smi --routes FILE"
        + " [options]").contains("--codec NAME", "--grpc SERVICE...", "--out FILE|-", "--gateway-api-version V",
        "Exit status: 0 written, 2 bad input.");
    assertThat(run("token", "--help")).isZero();
    assertThat(out()).contains("Usage: flagroute token");
    assertThat(run("check", "-h")).isZero();
    assertThat(out()).startsWith("Usage: flagroute check --routes FILE --mesh FILE... [options]")
        .contains("--version-label KEY", "Exit status: 0 no drift, 1 drift found, 2 bad input.");
  }

  @Test
  void generateWritesYamlToStandardOutput() {
    assertThat(run("generate", "istio", "--routes", fixture("example-routes.yaml"))).isZero();
    assertThat(err()).isEmpty();
    assertThat(out()).startsWith("---\napiVersion: networking.istio.io/v1\nkind: DestinationRule")
        .contains("x-flag-checkout:");
    assertThat(MeshRouteEvaluator.parse(out(), "stdout").route("reviews",
        MeshRequest.of(Map.of("x-flag-checkout", "v2"))).orElseThrow().primary().subset()).isEqualTo("v2");
  }

  @Test
  void generateTakesCodecNamesPortsAndGrpcServices() throws IOException {
    Path target = dir.resolve("mesh.yaml");
    assertThat(run("generate", "gateway-api", "--routes=" + fixture("drift/routes.yaml"), "--codec", "combined",
        "--header", "X-Features", "--namespace", "shop", "--port", "9080", "--grpc", "search", "--name-prefix",
        "ff-", "--out", target.toString())).isZero();
    assertThat(out()).isEmpty();
    assertThat(err()).isEqualTo("flagroute generate: wrote gateway-api rules for 2 services to " + target + "\n");
    String yaml = Files.readString(target);
    assertThat(yaml).contains("kind: GRPCRoute", "name: ff-search", "namespace: shop", "name: x-features",
        "port: 9080");
    MeshRouteEvaluator mesh = MeshRouteEvaluator.of(MeshFormat.GATEWAY_API, MeshYaml.read(yaml, "mesh.yaml"));
    assertThat(mesh.route("search", MeshRequest.of(Map.of("x-features", "search=new"))).orElseThrow().primary()
        .host()).isEqualTo("search-canary");
  }

  @Test
  void generateExplainsBadInput() {
    String routes = fixture("example-routes.yaml");
    assertThat(run("generate", "--routes", routes)).isEqualTo(2);
    assertThat(err()).isEqualTo("flagroute generate: name the format: istio or istio-ambient or gateway-api or"
        + " linkerd or consul or smi\nRun 'flagroute generate --help' for usage.\n");
    assertThat(run("generate", "kuma", "--routes", routes)).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: unknown mesh format 'kuma'; expected one of [istio,"
        + " istio-ambient, gateway-api, linkerd, consul, smi]");
    assertThat(run("generate", "istio", "--routes", routes, "--gateway-api-version", "1.1")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: --gateway-api-version applies to gateway-api only\n");
    assertThat(run("generate", "linkerd", "--routes", routes, "--gateway-api-version", "1.6")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: --gateway-api-version applies to gateway-api only; linkerd"
        + " always targets 1.1");
    assertThat(run("generate", "gateway-api", "--routes", routes, "--gateway-api-version", "1.3")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: unknown Gateway API version '1.3'; expected one of [1.1, 1.6]"
        + " (for a cluster on 1.2 to 1.5, target 1.1");
    assertThat(run("generate", "istio")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: option --routes is required");
    assertThat(run("generate", "istio", "--routes", routes, "--codec", "json")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: --codec: must be per-flag, combined or baggage, was 'json'");
    assertThat(run("generate", "istio", "--routes", routes, "--header", "x-f")).isEqualTo(2);
    assertThat(err())
        .startsWith("flagroute generate: --header: applies to the combined codec only; set --codec to combined");
    assertThat(run("generate", "istio", "--routes", routes, "--port", "http")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: --port 'http' is not a number");
    assertThat(run("generate", "istio", "--routes", routes, "--port", "70000")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: port 70000 must be between 1 and 65535");
    assertThat(run("generate", "istio", "--routes", routes, "--grpc", "payments")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: cannot generate rules: gRPC service 'payments' is not steered");
    assertThat(run("generate", "istio", "--routes")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: option --routes needs a value");
    assertThat(run("generate", "istio", "--routes", dir.resolve("none.yaml").toString())).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: cannot read --routes file " + dir.resolve("none.yaml")
        + ": no such file");
  }

  @Test
  void generateReportsInvalidRoutes() throws IOException {
    Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, "routes:\n- {flag: checkout, service: Reviews, default: v3, variants: {v1: v1}}\n");
    assertThat(run("generate", "istio", "--routes", routes.toString())).isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: " + routes + ": invalid flag routes:\n"
        + "  - flag 'checkout': service 'Reviews' must be a lowercase DNS name");
  }

  @Test
  void checkExitsZeroWithoutDriftAndOneWithDrift() {
    String routes = fixture("drift/routes.yaml");
    assertThat(run("check", "--routes", routes, "--mesh", fixture("drift/istio-ok.yaml"))).isZero();
    assertThat(out()).isEqualTo("no drift: 3 flags on 2 services agree with 4 documents in 1 file\n");
    assertThat(run("check", "--routes", routes, "--mesh", fixture("drift/istio-ok.yaml"),
        fixture("drift/gateway-shadowed.yaml"))).isEqualTo(1);
    assertThat(out()).startsWith("SHADOWED HTTPRoute reviews rule 'ratings-again': never wins: rule 'ratings' of"
        + " HTTPRoute reviews ranks before it and matches every request it does; affects the requests with header"
        + " x-flag-ratings exact 'on' to reviews: they get rule 'ratings' instead\n").contains("CONFLICT service reviews:"
        + " both a VirtualService and an HTTPRoute or GRPCRoute (gateway-api) route it").endsWith("3 drifts found\n");
    assertThat(run("check", "--routes", routes, "--mesh", fixture("drift/istio-ok.yaml"), "--codec", "baggage"))
        .isEqualTo(1);
    // one finding per rule matching under x-flag-<key>, stating the requests it affects; nothing besides it
    assertThat(out()).contains("HEADER_NAME", "requests to reviews with checkout=v2, ratings=off go to v1, not v2")
        .doesNotContain("MISSING_RULE", "CAPTURED").endsWith("3 drifts found\n");
  }

  @Test
  void checkPortReportsRulesThatAgreeWithTheirServicesButNotWithTheServicesPort() throws IOException {
    String routes = fixture("example-routes.yaml");
    Path mesh = dir.resolve("gateway.yaml");
    assertThat(run("generate", "gateway-api", "--routes", routes, "--port", "9080")).isZero();
    Files.writeString(mesh, out().replace("9080", "9081"));
    assertThat(run("check", "--routes", routes, "--mesh", mesh.toString())).as("every port moved alike").isZero();
    assertThat(run("check", "--routes", routes, "--mesh", mesh.toString(), "--port", "9080")).isEqualTo(1);
    assertThat(out()).contains("WRONG_PORT HTTPRoute reviews: attaches to port 9081 of Service 'reviews', but the"
        + " service's port is 9080").contains("WRONG_PORT HTTPRoute reviews rule 'spec.rules[0]': routes to port 9081"
        + " of Service 'reviews-v2'").endsWith(" drifts found\n");
    assertThat(run("check", "--routes", routes, "--mesh", mesh.toString(), "--port", "x")).isEqualTo(2);
    assertThat(err()).startsWith("flagroute check: --port 'x' is not a number");
  }

  @Test
  void generateIstioAmbientNamesTheWaypoint() {
    assertThat(run("generate", "istio-ambient", "--routes", fixture("example-routes.yaml"), "--waypoint", "w1"))
        .isZero();
    assertThat(out()).contains("kind: Gateway\nmetadata:\n  name: w1\n").contains("istio.io/use-waypoint: w1")
        .contains("gatewayClassName: istio-waypoint").doesNotContain("VirtualService");
    assertThat(run("generate", "istio-ambient", "--routes", fixture("example-routes.yaml"), "--waypoint", "None!"))
        .isEqualTo(2);
    assertThat(err()).startsWith("flagroute generate: waypoint 'None!' must be a lowercase DNS label");
  }

  @Test
  void checkExitsTwoOnBadInput() throws IOException {
    String routes = fixture("drift/routes.yaml");
    assertThat(run("check", "--routes", routes)).isEqualTo(2);
    assertThat(err()).startsWith("flagroute check: option --mesh is required");
    assertThat(run("check", "--mesh", fixture("drift/istio-ok.yaml"))).isEqualTo(2);
    assertThat(err()).startsWith("flagroute check: option --routes is required");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "apiVersion: networking.istio.io/v1\nkind: VirtualService\nspec: {hosts: [a], http: [");
    assertThat(run("check", "--routes", routes, "--mesh", broken.toString())).isEqualTo(2);
    assertThat(err()).startsWith("flagroute check: " + broken + ": invalid mesh rules:\n  - not valid YAML:");
    Files.writeString(broken, "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\n"
        + "spec: {hosts: [reviews], http: [{match: [{headers: {x-flag-checkout: {regex: '(v2'}}}]}]}\n");
    assertThat(run("check", "--routes", routes, "--mesh", broken.toString())).isEqualTo(2);
    assertThat(err()).contains("VirtualService r: spec.http[0].match[0].headers.x-flag-checkout: not a valid RE2");
    assertThat(run("check", "--routes", routes, "--mesh", dir.resolve("missing.yaml").toString())).isEqualTo(2);
    assertThat(err()).startsWith("flagroute check: cannot read --mesh file " + dir.resolve("missing.yaml")
        + ": no such file");
    assertThat(run("check", "extra", "--routes", routes, "--mesh", fixture("drift/istio-ok.yaml"))).isEqualTo(2);
    assertThat(err()).startsWith("flagroute check: unexpected argument 'extra'");
    assertThat(run("check", "--routes", routes, "--routes", routes)).isEqualTo(2);
    assertThat(err()).startsWith("flagroute check: option --routes is given twice");
  }
}
