package dev.flagroute.mesh.internal.consul;

import static dev.flagroute.mesh.MeshFixtures.TWO_FLAGS;
import static dev.flagroute.mesh.MeshFixtures.exampleRoutes;
import static dev.flagroute.mesh.MeshFixtures.flag;
import static dev.flagroute.mesh.MeshFixtures.headers;
import static dev.flagroute.mesh.MeshFixtures.resource;
import static dev.flagroute.mesh.MeshFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.InvalidMeshException;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshDriftCheck;
import dev.flagroute.mesh.MeshFixtures;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.mesh.MeshYaml;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Consul format: the config entries generated for routes, what it refuses, and hand-written
 * ServiceRouters evaluated the way Consul documents them: routes in list order, the first match
 * terminal, anything else to the resolver's default subset.
 */
class ConsulFormatTest {
  @Test
  void consulOutputIsTheReferenceExample() {
    MeshOptions options = MeshOptions.builder().clearLabels().port(9080).build();
    String yaml = MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), options).yaml(MeshFormat.CONSUL);
    assertThat(yaml).isEqualTo(resource("example-consul.yaml"));
  }

  @Test
  void routesFollowThePlansFirstMatchOrderAndGrpcServicesSpeakGrpc() {
    String yaml = MeshGenerator.of(TWO_FLAGS, HeaderCodec.combined(), MeshOptions.builder().grpc("reviews").build())
        .yaml(MeshFormat.CONSUL);
    assertThat(yaml).contains("  protocol: grpc\n").contains("""
              routes:
                - match:
                    http:
                      header:
                        - name: x-flags
                          regex: %s
                  destination:
                    serviceSubset: v2
                - match:
                    http:
                      header:
                        - name: x-flags
                          regex: %s
                  destination:
                    serviceSubset: v3
            """.formatted(MeshFixtures.pattern(HeaderCodec.combined(), "checkout", "v2"),
                MeshFixtures.pattern(HeaderCodec.combined(), "ratings", "on")));
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(yaml, "consul.yaml");
    assertThat(mesh.route("reviews", headers("x-flags", "ratings=on,checkout=v2")).orElseThrow().primary())
        .as("the first flag in declaration order decides").isEqualTo(new MeshDestination("reviews", "v2", null, 100));
    assertThat(mesh.route("reviews", headers()).orElseThrow())
        .satisfies(route -> assertThat(route.rule()).isEqualTo("(default subset)"))
        .satisfies(route -> assertThat(route.resource()).isEqualTo("ServiceResolver reviews"))
        .satisfies(route -> assertThat(route.primary().subset()).isEqualTo("v1"));
  }

  @Test
  void whatConsulCannotExpressIsRefused() {
    FlagRoutes dark = FlagRoutes.of(FlagRoute.builder("search").service("search").variant("off", "v1")
        .variant("shadow", "v1").mirror("shadow", "v2", 100).defaultVariant("off").build());
    assertThatThrownBy(() -> MeshGenerator.of(dark, HeaderCodec.perFlag(), MeshOptions.defaults())
        .generate(MeshFormat.CONSUL)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service 'search': flag 'search' mirrors variant 'shadow' to v2, but Consul has no request"
            + " mirroring (a ServiceRouter route has one destination); use istio or gateway-api for dark launches");
    FlagRoutes plain = FlagRoutes.of(flag("checkout", "reviews"));
    assertThatThrownBy(() -> MeshGenerator.of(plain, HeaderCodec.perFlag(), MeshOptions.builder().namePrefix("ff-")
        .build()).generate(MeshFormat.CONSUL)).hasMessageStartingWith("Consul names each config entry after its"
            + " service, so the name prefix 'ff-' cannot apply");
    assertThatThrownBy(() -> MeshGenerator.of(plain, HeaderCodec.perFlag(), MeshOptions.builder()
        .versionLabel("example.com/version").build()).generate(MeshFormat.CONSUL))
        .hasMessageContaining("the version label 'example.com/version' is no such key");
    assertThatThrownBy(() -> MeshGenerator.of(FlagRoutes.of(flag("a", "reviews.shop")), HeaderCodec.perFlag(),
        MeshOptions.defaults()).generate(MeshFormat.CONSUL))
        .hasMessageStartingWith("service name 'reviews.shop' is not a Consul service name on Kubernetes");
    assertThat(MeshGenerator.of(plain, HeaderCodec.perFlag(), MeshOptions.builder().versionLabel("track").build())
        .yaml(MeshFormat.CONSUL)).contains("filter: Service.Meta.track == \"v2\"");
  }

  private static final String ROUTER = """
      apiVersion: consul.hashicorp.com/v1alpha1
      kind: ServiceResolver
      metadata: {name: reviews}
      spec:
        defaultSubset: v1
        subsets:
          v1: {filter: 'Service.Meta.version == "v1"'}
          v2: {filter: "Service.Meta.version == v2"}
          v3: {filter: 'Service.Meta.version == `v3`'}
          eu: {filter: 'Service.Meta.region == "eu"'}
      ---
      apiVersion: consul.hashicorp.com/v1alpha1
      kind: ServiceRouter
      metadata: {name: reviews}
      spec:
        routes:
        - match: {http: {header: [{name: X-Flag-A, exact: "1"}, {name: x-flag-b, present: true}]}}
          destination: {serviceSubset: v3}
        - match: {http: {header: [{name: x-flag-a, exact: "1"}]}}
          destination: {serviceSubset: v2}
        - match: {http: {header: [{name: x-flag-c, prefix: ab, invert: true}]}}
          destination: {serviceSubset: eu}
        - match: {http: {header: [{name: x-flag-d, suffix: "-x"}, {name: x-flag-e, regex: "o(n|ff)"}]}}
          destination: {service: ratings}
        - match: {http: {pathPrefix: /Admin, caseInsensitive: true, methods: [GET, HEAD], queryParam: [{name: q, exact: "1"}]}}
          destination: {serviceSubset: v2}
      """;

  @Test
  void routesAreTriedInListOrderAndTheFirstMatchWins() {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(ROUTER, "router.yaml");
    assertThat(mesh.format()).isSameAs(MeshFormat.CONSUL);
    assertThat(mesh.route("reviews", headers("x-flag-a", "1", "x-flag-b", "")).orElseThrow().primary().subset())
        .as("header names ignore case; present matches an empty value").isEqualTo("v3");
    assertThat(rule(mesh, "reviews", headers("x-flag-a", "1"))).isEqualTo("spec.routes[1]");
    assertThat(rule(mesh, "reviews", headers("x-flag-c", "abc"))).as("an inverted prefix: present, not matching")
        .isEqualTo("(default subset)");
    assertThat(rule(mesh, "reviews", headers("x-flag-c", "xyz"))).isEqualTo("spec.routes[2]");
    assertThat(rule(mesh, "reviews", headers())).as("an inverted match needs the header").isEqualTo("(default subset)");
    assertThat(mesh.route("reviews", headers("x-flag-d", "a-x", "x-flag-e", "off")).orElseThrow().primary())
        .as("another service, at its default subset (no resolver here: none)")
        .isEqualTo(new MeshDestination("ratings", null, null, 100));
    assertThat(rule(mesh, "reviews", headers("x-flag-d", "a-x", "x-flag-e", "offx")))
        .as("regexes match the whole value").isEqualTo("(default subset)");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().method("HEAD").path("/admin/x?q=1").build()))
        .isEqualTo("spec.routes[4]");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().method("POST").path("/admin/x?q=1").build()))
        .isEqualTo("(default subset)");
    assertThat(mesh.routes("reviews")).isTrue();
    assertThat(mesh.routes("ratings")).isFalse();
    assertThat(mesh.route("ratings", headers())).isEmpty();
  }

  @Test
  void subsetsReachTheVersionTheirMetaFilterNames() {
    FlagRoutes routes = FlagRoutes.of(FlagRoute.builder("a").service("reviews").variant("0", "v1").variant("1", "v2")
        .defaultVariant("0").build());
    List<Drift> drift = MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults())
        .check(MeshYaml.read(ROUTER, "router.yaml"));
    assertThat(drift).extracting(d -> d.kind() + " " + d.where() + ": " + d.message()).contains(
        "UNKNOWN_FLAG ServiceRouter reviews rule 'spec.routes[0]': header 'x-flag-b' belongs to the codec but to no"
            + " flag of the routes; flag headers are [x-flag-a]");
    assertThat(drift).noneMatch(d -> d.kind() == Drift.Kind.WRONG_VERSION || d.kind() == Drift.Kind.MISSING_RULE);
    String otherFilter = ROUTER.replace("v2: {filter: \"Service.Meta.version == v2\"}",
        "v2: {filter: 'Service.Meta.version != \"v1\"'}");
    assertThat(MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults())
        .check(MeshYaml.read(otherFilter, "router.yaml"))).extracting(d -> d.kind() + " " + d.where() + ": " + d.message()).contains(
        "WRONG_VERSION service reviews (consul): a request with a=1 goes to subset v2 (filter 'Service.Meta.version"
            + " != \"v1\"' selects no Service.Meta.version) by rule 'spec.routes[1]' of ServiceRouter reviews, but"
            + " the routes send it to v2");
  }

  @Test
  void consulSpecificDriftIsReported() {
    String yaml = """
        apiVersion: consul.hashicorp.com/v1alpha1
        kind: ServiceDefaults
        metadata: {name: reviews}
        spec: {protocol: tcp}
        ---
        apiVersion: consul.hashicorp.com/v1alpha1
        kind: ServiceResolver
        metadata: {name: reviews}
        spec:
          defaultSubset: v0
          subsets: {v1: {filter: 'Service.Meta.version == "v1"'}}
        ---
        apiVersion: consul.hashicorp.com/v1alpha1
        kind: ServiceRouter
        metadata: {name: reviews}
        spec:
          routes:
          - match: {http: {header: [{name: x-flag-a, exact: "1"}]}}
            destination: {serviceSubset: v2}
          - match: {http: {header: [{name: x-flag-a, exact: "1"}, {name: x-flag-b, exact: "2"}]}}
            destination: {serviceSubset: v1}
        """;
    FlagRoutes routes = FlagRoutes.of(FlagRoute.builder("a").service("reviews").variant("0", "v1").variant("1", "v2")
        .defaultVariant("0").build());
    List<Drift> drift = MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults())
        .check(MeshYaml.read(yaml, "consul.yaml"));
    assertThat(drift).extracting(d -> d.kind() + " " + d.where() + ": " + d.message()).contains(
        "UNDEFINED_SUBSET ServiceRouter reviews route 'spec.routes[0]': routes to subset 'v2' of service 'reviews',"
            + " which no ServiceResolver defines",
        "NOT_APPLIED ServiceRouter reviews: the ServiceDefaults of 'reviews' set protocol 'tcp'; Consul applies"
            + " ServiceRouters only to services whose protocol is http, http2 or grpc",
        "SHADOWED ServiceRouter reviews route 'spec.routes[1]': can never match: route 'spec.routes[0]' comes first"
            + " and matches every request it does",
        "UNDEFINED_SUBSET ServiceResolver reviews: its defaultSubset 'v0' is not among its subsets [v1]");
    assertThat(drift).extracting(Drift::affects).contains("every request to reviews: none of the router's routes apply",
        "the requests with header x-flag-a exact '1' and header x-flag-b exact '2': they get route 'spec.routes[0]'"
            + " instead");
  }

  @Test
  void whatFlagrouteCannotEvaluateIsAProblem() {
    String yaml = """
        apiVersion: consul.hashicorp.com/v1alpha1
        kind: ServiceResolver
        metadata: {name: reviews}
        spec: {redirect: {service: elsewhere}}
        ---
        apiVersion: consul.hashicorp.com/v1alpha1
        kind: ServiceSplitter
        metadata: {name: reviews}
        spec: {splits: [{weight: 100}]}
        ---
        apiVersion: consul.hashicorp.com/v1alpha1
        kind: ServiceRouter
        metadata: {name: reviews}
        spec:
          routes:
          - match: {http: {header: [{name: x-a}, {name: x-b, exact: "1", prefix: "1"}], pathExact: /a, pathPrefix: /b,
              retries: 3}}
        """;
    assertThatThrownBy(() -> MeshRouteEvaluator.parse(yaml, "bad.yaml")).isInstanceOf(InvalidMeshException.class)
        .hasMessageContaining("ServiceResolver reviews: spec.redirect: redirects are not evaluated by flagroute")
        .hasMessageContaining("ServiceSplitter reviews: spec: ServiceSplitters are not evaluated by flagroute")
        .hasMessageContaining("ServiceRouter reviews: spec.routes[0].match.http.retries: not a ServiceRouteHTTPMatch"
            + " field")
        .hasMessageContaining("spec.routes[0].match.http: at most one of pathExact, pathPrefix or pathRegex may be"
            + " set, found [pathExact, pathPrefix]")
        .hasMessageContaining("spec.routes[0].match.http.header[0]: needs exactly one of exact, prefix, suffix, regex,"
            + " present")
        .hasMessageContaining("spec.routes[0].match.http.header[1]: needs exactly one of exact, prefix, suffix, regex,"
            + " present, found [exact, prefix]");
  }
}
