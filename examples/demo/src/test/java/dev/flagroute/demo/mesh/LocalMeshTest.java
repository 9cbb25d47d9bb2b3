package dev.flagroute.demo.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.demo.app.RatingsApi;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshYaml;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The local mesh resolves rules to instances as a mesh does, and answers like one when nothing fits. */
class LocalMeshTest {
  private static final Workload REVIEWS_V1 = Workload.of("reviews", "v1", "127.0.0.1", 1001);
  private static final Workload REVIEWS_V2 = Workload.of("reviews", "v2", "127.0.0.1", 1002);
  private static final Workload REVIEWS_V3 = Workload.of("reviews", "v3", "127.0.0.1", 1003);
  private static final List<Workload> REVIEWS = List.of(REVIEWS_V1, REVIEWS_V2, REVIEWS_V3);

  @ParameterizedTest
  @ValueSource(strings = {"istio", "istio-ambient", "gateway-api", "linkerd", "consul", "smi"})
  void flaggedRequestsReachTheFlaggedVersionAndTheRestTheStableOne(String format) throws IOException {
    LocalMesh mesh = mesh(format);

    assertThat(route(mesh, Map.of("x-flag-new-reviews", "redesign"), REVIEWS)).contains(REVIEWS_V2);
    assertThat(route(mesh, Map.of("x-flag-new-reviews", "stable"), REVIEWS)).contains(REVIEWS_V1);
    assertThat(route(mesh, Map.of(), REVIEWS)).contains(REVIEWS_V1);
    assertThat(route(mesh, Map.of("x-flag-new-reviews", "REDESIGN"), REVIEWS)).as("values are case-sensitive")
        .contains(REVIEWS_V1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"istio", "istio-ambient", "gateway-api", "linkerd", "consul", "smi"})
  void nothingFitsWhenTheChosenVersionIsNotRunningOrTheServiceHasNoRules(String format) throws IOException {
    LocalMesh mesh = mesh(format);

    assertThat(route(mesh, Map.of("x-flag-new-reviews", "redesign"), List.of(REVIEWS_V1))).isEmpty();
    assertThat(mesh.route("payments", MeshRequest.of(Map.of()), REVIEWS)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"istio", "istio-ambient", "gateway-api"})
  void theMirroredVariantIsServedByItsVersionAndCopiedToTheMirror(String format) throws IOException {
    LocalMesh mesh = mesh(format);

    assertThat(mesh.routing("reviews", MeshRequest.of(Map.of("x-flag-new-reviews", "redesign")), REVIEWS))
        .contains(new LocalMesh.Routing(REVIEWS_V2, List.of(new LocalMesh.Mirroring(REVIEWS_V3, 100))));
    assertThat(mesh.routing("reviews", MeshRequest.of(Map.of()), REVIEWS))
        .contains(new LocalMesh.Routing(REVIEWS_V1, List.of()));
    assertThat(mesh.routing("reviews", MeshRequest.of(Map.of("x-flag-new-reviews", "redesign")),
        List.of(REVIEWS_V1, REVIEWS_V2))).as("a mirror with no running instance is left out")
        .contains(new LocalMesh.Routing(REVIEWS_V2, List.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"linkerd", "consul", "smi"})
  void formatsThatCannotMirrorHaveRulesWithoutTheMirror(String format) throws IOException {
    assertThat(mesh(format).routing("reviews", MeshRequest.of(Map.of("x-flag-new-reviews", "redesign")), REVIEWS))
        .contains(new LocalMesh.Routing(REVIEWS_V2, List.of()));
  }

  @Test
  void inAmbientAServiceRoutesByItsRulesOnlyWhileAWaypointServesIt() throws IOException {
    Path file = Path.of("k8s", "istio-ambient.yaml");
    String yaml = Files.readString(file);
    assertThat(route(LocalMesh.of(MeshYaml.read(yaml, "ambient")), Map.of("x-flag-new-reviews", "redesign"), REVIEWS))
        .contains(REVIEWS_V2);
    LocalMesh unbound = LocalMesh.of(MeshYaml.read(yaml.replace("istio.io/use-waypoint: waypoint",
        "istio.io/use-waypoint: none"), "ambient"));
    assertThat(route(unbound, Map.of("x-flag-new-reviews", "redesign"), REVIEWS)).as("no waypoint, no rules").isEmpty();
  }

  @Test
  void aMirrorCopiesItsShareOfRequests() {
    LocalMesh.Mirroring all = new LocalMesh.Mirroring(REVIEWS_V3, 100);
    LocalMesh.Mirroring tenth = new LocalMesh.Mirroring(REVIEWS_V3, 10);

    assertThat(all.copies(0)).isTrue();
    assertThat(all.copies(Math.nextDown(100.0))).isTrue();
    assertThat(tenth.copies(Math.nextDown(10.0))).isTrue();
    assertThat(tenth.copies(10)).isFalse();
    assertThat(tenth.copies(99)).isFalse();
  }

  @Test
  void aShadowAuthorityHasTheSuffixBeforeThePortAsEnvoyWritesIt() {
    assertThat(MeshProxy.shadowAuthority("reviews:9080")).isEqualTo("reviews-shadow:9080");
    assertThat(MeshProxy.shadowAuthority("reviews")).isEqualTo("reviews-shadow");
    assertThat(MeshProxy.shadowAuthority("127.0.0.1:41234")).isEqualTo("127.0.0.1-shadow:41234");
    assertThat(MeshProxy.shadowAuthority("[::1]:80")).isEqualTo("[::1]-shadow:80");
    assertThat(MeshProxy.shadowAuthority("[::1]")).isEqualTo("[::1]-shadow");
  }

  @Test
  void theProxyServesTheUserFromTheServedVersionAndSendsTheMirrorACopyWithAShadowHost() throws Exception {
    List<String> v3Hosts = new CopyOnWriteArrayList<>();
    HttpServer v2 = backend("from v2", new CopyOnWriteArrayList<>());
    HttpServer v3 = backend("from v3", v3Hosts);
    List<Workload> running = List.of(REVIEWS_V1, workload("v2", v2), workload("v3", v3));
    try (MeshProxy proxy = MeshProxy.start("reviews", mesh("istio"), running, "127.0.0.1")) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(proxy.uri() + "/reviews")).header("x-flag-new-reviews", "redesign").build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("from v2");
      assertThat(proxy.awaitMirrors(Duration.ofSeconds(60))).isTrue();
      assertThat(proxy.mirrorsSent()).isEqualTo(1);
      assertThat(proxy.mirrorsFailed()).isZero();
      assertThat(v3Hosts).containsExactly("127.0.0.1-shadow:" + proxy.uri().getPort() + " x-flag-new-reviews=redesign");
    } finally {
      v2.stop(0);
      v3.stop(0);
    }
  }

  @Test
  void aMirrorThatFailsNeverFailsTheUsersRequest() throws Exception {
    HttpServer v2 = backend("from v2", new CopyOnWriteArrayList<>());
    HttpServer gone = backend("never", new CopyOnWriteArrayList<>());
    Workload v3 = workload("v3", gone);
    gone.stop(0);
    try (MeshProxy proxy = MeshProxy.start("reviews", mesh("istio"), List.of(workload("v2", v2), v3), "127.0.0.1")) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(proxy.uri() + "/reviews")).header("x-flag-new-reviews", "redesign").build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("from v2");
      assertThat(proxy.awaitMirrors(Duration.ofSeconds(60))).isTrue();
      assertThat(proxy.mirrorsFailed()).isEqualTo(1);
    } finally {
      v2.stop(0);
    }
  }

  /** A backend answering {@code body}, recording each request's Host and flag header in {@code seen}. */
  private static HttpServer backend(String body, List<String> seen) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      seen.add(exchange.getRequestHeaders().getFirst("Host") + " x-flag-new-reviews="
          + exchange.getRequestHeaders().getFirst("x-flag-new-reviews"));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    return server;
  }

  private static Workload workload(String version, HttpServer server) {
    return Workload.of("reviews", version, "127.0.0.1", server.getAddress().getPort());
  }

  @Test
  void theProxyAnswers503WhenNoInstanceFits() throws Exception {
    try (MeshProxy proxy = MeshProxy.start("reviews", mesh("istio"), List.of(REVIEWS_V1), "127.0.0.1")) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(proxy.uri() + "/reviews")).header("x-flag-new-reviews", "redesign").build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("no mesh route to a running reviews instance");
    }
  }

  @Test
  void theChannelFailsCallsWithUnavailableWhenNoInstanceFits() throws IOException {
    MeshChannel channel = new MeshChannel("ratings", mesh("istio"), Map.<Workload, ManagedChannel>of());

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RatingsApi.GET,
        CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), "product-1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("no mesh route to a running ratings instance");
        });
  }

  private static Optional<Workload> route(LocalMesh mesh, Map<String, String> headers, List<Workload> endpoints) {
    return mesh.route("reviews", MeshRequest.of(headers), endpoints);
  }

  private static LocalMesh mesh(String format) throws IOException {
    Path file = Path.of("k8s", format + ".yaml");
    return LocalMesh.of(MeshYaml.read(Files.readString(file), file.toString()));
  }
}
