package dev.flagroute.demo.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.routes.FlagRoutesFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code k8s/} manifests are exactly what the generator produces from the committed
 * routes and flags files. After changing either, regenerate them with
 * {@code ./mvnw -q -B -pl examples/demo -am test -Dtest=ManifestsTest -Dsurefire.failIfNoSpecifiedTests=false -Dk8s.write=true}.
 */
class ManifestsTest {
  private static final Path DIR = Path.of(".");

  @Test
  void committedManifestsAreWhatTheGeneratorProducesNow() throws IOException {
    Map<String, String> generated = Manifests.generate(FlagRoutesFile.load(DIR.resolve("routes.yaml")),
        Files.readString(DIR.resolve("flags.flagd.json"), StandardCharsets.UTF_8));
    if (Boolean.getBoolean("k8s.write")) {
      Files.createDirectories(DIR.resolve("k8s"));
      for (Map.Entry<String, String> file : generated.entrySet()) {
        Files.writeString(DIR.resolve("k8s").resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
      }
    }
    assertThat(generated).containsOnlyKeys("workloads.yaml", "istio.yaml", "istio-ambient.yaml", "gateway-api.yaml",
        "linkerd.yaml",
        "consul.yaml", "smi.yaml");
    try (var committed = Files.list(DIR.resolve("k8s"))) {
      assertThat(committed.map(p -> p.getFileName().toString()))
          .as("files in k8s/").containsExactlyInAnyOrderElementsOf(generated.keySet());
    }
    for (Map.Entry<String, String> file : generated.entrySet()) {
      assertThat(Files.readString(DIR.resolve("k8s").resolve(file.getKey()), StandardCharsets.UTF_8))
          .as("k8s/%s differs from the generator's output; regenerate it (see this test's Javadoc)", file.getKey())
          .isEqualTo(file.getValue());
    }
  }
}
