package dev.flagroute.mesh;

import dev.flagroute.mesh.crd.CrdSchemaValidator;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The mesh rules committed in the repository (the demo's {@code k8s/} folder) validate strictly
 * against the real CRD schemas, like everything the generator writes: every document of a custom
 * resource against the newest CRDs (Istio, Gateway API v1.6.1, Consul, SMI), and Gateway API
 * routes against v1.1.1 as well (Linkerd's also against v1.2.1). Documents of the core API groups ({@code v1},
 * {@code apps/v1}) have no CRD; any other kind without a CRD fails. The folders come from system
 * property {@value #DIRS_PROPERTY} (comma-separated), which the {@code crd-schemas} profile sets; a
 * missing folder or one without mesh rules fails the test.
 */
@Tag("crd-schemas")
class CommittedManifestsSchemaTest {
  static final String DIRS_PROPERTY = "flagroute.manifests.dirs";
  private static final Set<String> CORE_API_VERSIONS = Set.of("v1", "apps/v1");

  @Test
  void committedMeshRulesValidateAgainstTheCrds() throws IOException {
    String dirs = System.getProperty(DIRS_PROPERTY, "");
    assertThat(dirs).as("system property %s names the folders of committed mesh YAML", DIRS_PROPERTY).isNotBlank();
    for (Path dir : Arrays.stream(dirs.split(",")).map(String::strip).map(Path::of).toList()) {
      assertThat(dir).as("folder of committed mesh YAML").isDirectory();
      List<String> validated = new ArrayList<>();
      for (Path file : yamlFiles(dir)) {
        for (Map<String, Object> document : MeshYaml.read(Files.readString(file), file.toString())) {
          String apiVersion = String.valueOf(document.get("apiVersion"));
          if (CORE_API_VERSIONS.contains(apiVersion)) {
            continue;
          }
          String what = file + ": " + document.get("kind") + " " + ((Map<?, ?>) document.get("metadata")).get("name");
          assertThat(CrdSchemaValidator.shared().validate(document)).as(what).isEmpty();
          boolean route = apiVersion.startsWith("gateway.networking.k8s.io/")
              && List.of("HTTPRoute", "GRPCRoute").contains(document.get("kind"));
          if (route) {
            assertThat(CrdSchemaValidator.gatewayApiV1_1().validate(document)).as("v1.1.1 %s", what).isEmpty();
            validated.add(file.getFileName() + ":" + document.get("kind") + "@v1.1.1");
          }
          if (route && file.getFileName().toString().startsWith("linkerd")) {
            assertThat(CrdSchemaValidator.gatewayApiV1_2().validate(document)).as("v1.2.1 %s", what).isEmpty();
            validated.add(file.getFileName() + ":" + document.get("kind") + "@v1.2.1");
          }
          validated.add(file.getFileName() + ":" + document.get("kind"));
        }
      }
      assertThat(validated).as("mesh rules found in %s", dir).isNotEmpty();
    }
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
