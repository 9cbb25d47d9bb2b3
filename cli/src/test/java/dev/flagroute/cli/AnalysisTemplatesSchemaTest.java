package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.mesh.MeshYaml;
import dev.flagroute.mesh.crd.CrdSchemaValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Argo Rollouts {@code AnalysisTemplate}s and Flagger {@code MetricTemplate}s of
 * {@code flagroute rules argo|flagger} validate strictly (unknown fields rejected) against the
 * upstream CRDs of Argo Rollouts v1.9.1 and Flagger v1.44.0 in the shared schema folder (the
 * {@code crd-schemas} profile names it; the tests do not run without it).
 */
@Tag("crd-schemas")
class AnalysisTemplatesSchemaTest {
  private static final String ROUTES = CliRun.fixture("/cli/rules/routes.yaml");
  private static final String EVERY_MESH = CliRun.fixture("/cli/every-mesh/routes.yaml");

  @Test
  void argoAnalysisTemplatesValidateAgainstTheArgoRolloutsCrds() {
    for (String routes : List.of(ROUTES, EVERY_MESH)) {
      CliRun argo = CliRun.of("rules", "argo", "--routes", routes, "--namespace", "shop", "--window", "2m");
      assertThat(argo.status()).as(argo.err()).isZero();
      assertThat(validator("argo-rollouts").validateYaml(argo.out())).as(routes).isEmpty();
      List<Map<String, Object>> documents = MeshYaml.read(argo.out(), "argo");
      assertThat(documents).extracting(AnalysisTemplatesSchemaTest::name).as(routes)
          .doesNotHaveDuplicates();
    }
    List<Map<String, Object>> documents = MeshYaml.read(CliRun.of("rules", "argo", "--routes", ROUTES).out(), "argo");
    assertThat(documents).extracting(AnalysisTemplatesSchemaTest::name)
        .containsExactly("flagroute-new-reviews-redesign", "flagroute-ratings-model-ml");
  }

  @Test
  void flaggerMetricTemplatesValidateAgainstTheFlaggerCrd() {
    for (String routes : List.of(ROUTES, EVERY_MESH)) {
      CliRun flagger = CliRun.of("rules", "flagger", "--routes", routes, "--namespace", "shop");
      assertThat(flagger.status()).as(flagger.err()).isZero();
      assertThat(validator("flagger").validateYaml(flagger.out())).as(routes).isEmpty();
    }
    List<Map<String, Object>> documents = MeshYaml.read(
        CliRun.of("rules", "flagger", "--routes", ROUTES).out(), "flagger");
    assertThat(documents).hasSize(6).extracting(AnalysisTemplatesSchemaTest::name).contains(
        "flagroute-new-reviews-redesign-error-ratio-over-default", "flagroute-ratings-model-ml-worse-verdict");
  }

  @Test
  void anUnknownFieldFailsTheValidation() {
    String argo = CliRun.of("rules", "argo", "--routes", ROUTES).out().replace("failureLimit:", "failureLimits:");
    assertThat(validator("argo-rollouts").validateYaml(argo)).isNotEmpty();
  }

  private static String name(Map<String, Object> document) {
    return String.valueOf(((Map<?, ?>) document.get("metadata")).get("name"));
  }

  private static CrdSchemaValidator validator(String folder) {
    String schemas = System.getProperty(CrdSchemaValidator.SCHEMAS_DIR_PROPERTY);
    Path root = schemas == null ? Path.of("..", "..", "shared", "schemas") : Path.of(schemas);
    assertThat(root.resolve(folder)).as("the %s CRDs (set %s)", folder, CrdSchemaValidator.SCHEMAS_DIR_PROPERTY)
        .satisfies(dir -> assertThat(Files.isDirectory(dir)).isTrue());
    return CrdSchemaValidator.forDirectory(root.resolve(folder));
  }
}
