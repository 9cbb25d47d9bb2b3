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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The local mesh resolves rules to instances as a mesh does, and answers like one when nothing fits. */
class LocalMeshTest {
  private static final Workload REVIEWS_V1 = Workload.of("reviews", "v1", "127.0.0.1", 1001);
  private static final Workload REVIEWS_V2 = Workload.of("reviews", "v2", "127.0.0.1", 1002);
  private static final List<Workload> REVIEWS = List.of(REVIEWS_V1, REVIEWS_V2);

  @ParameterizedTest
  @ValueSource(strings = {"istio", "gateway-api", "linkerd", "consul", "smi"})
  void flaggedRequestsReachTheFlaggedVersionAndTheRestTheStableOne(String format) throws IOException {
    LocalMesh mesh = mesh(format);

    assertThat(route(mesh, Map.of("x-flag-new-reviews", "redesign"), REVIEWS)).contains(REVIEWS_V2);
    assertThat(route(mesh, Map.of("x-flag-new-reviews", "stable"), REVIEWS)).contains(REVIEWS_V1);
    assertThat(route(mesh, Map.of(), REVIEWS)).contains(REVIEWS_V1);
    assertThat(route(mesh, Map.of("x-flag-new-reviews", "REDESIGN"), REVIEWS)).as("values are case-sensitive")
        .contains(REVIEWS_V1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"istio", "gateway-api", "linkerd", "consul", "smi"})
  void nothingFitsWhenTheChosenVersionIsNotRunningOrTheServiceHasNoRules(String format) throws IOException {
    LocalMesh mesh = mesh(format);

    assertThat(route(mesh, Map.of("x-flag-new-reviews", "redesign"), List.of(REVIEWS_V1))).isEmpty();
    assertThat(mesh.route("payments", MeshRequest.of(Map.of()), REVIEWS)).isEmpty();
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
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "product-1"))
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
