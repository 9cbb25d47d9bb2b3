package dev.flagroute.demo.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.demo.mesh.LocalMesh;
import dev.flagroute.mesh.MeshYaml;
import dev.flagroute.routes.FlagRoutesFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's checks catch a mesh that sends requests to the wrong version. */
class MisroutingMeshTest {
  @TempDir
  Path dir;

  @Test
  void aMeshWhoseSubsetsPointAtTheWrongPodsFailsTheRun() throws Exception {
    Path istio = Path.of("k8s", "istio.yaml");
    List<Map<String, Object>> documents = MeshYaml.read(Files.readString(istio), istio.toString());
    swapSubsetLabels(documents, "reviews");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean passed;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      passed = new DemoRun(FlagRoutesFile.load(Path.of("routes.yaml")), LocalMesh.of(documents), Optional.empty(),
          Path.of("flags.flagd.json"), dir.resolve("report.html"), out).run();
    }
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(passed).as(output).isFalse();
    assertThat(output)
        .contains("NO: reviews v1 served new-reviews=redesign (routes to v2)")
        .contains("NO: reviews v2 served new-reviews=stable (routes to v1)")
        .containsPattern("NO: reviews and ratings detected [1-9][0-9]* misrouted requests");
    assertThat(output.strip().lines().reduce((a, b) -> b).orElseThrow()).startsWith("FAIL: ");
    // the report shows the cohort whose reviews hop was served by the wrong version
    assertThat(Files.readString(dir.resolve("report.html"))).contains("\"result\":\"FAIL: ")
        .containsPattern("\"new-reviews\":\"redesign\"[^}]*}[^}]*\"expected\":\\{\"reviews\":\"v2\"[^}]*},"
            + "\"served\":\\{\"reviews\":\\{\"v1\":\\d+");
  }

  /** Makes subset v1 of {@code host} select the v2 pods and the other way round. */
  @SuppressWarnings("unchecked")
  private static void swapSubsetLabels(List<Map<String, Object>> documents, String host) {
    Map<String, Object> rule = documents.stream()
        .filter(d -> "DestinationRule".equals(d.get("kind")))
        .filter(d -> host.equals(((Map<String, Object>) d.get("spec")).get("host")))
        .findFirst().orElseThrow();
    List<Map<String, Object>> subsets = (List<Map<String, Object>>) ((Map<String, Object>) rule.get("spec")).get("subsets");
    Object first = subsets.get(0).get("labels");
    subsets.get(0).put("labels", subsets.get(1).get("labels"));
    subsets.get(1).put("labels", first);
  }
}
