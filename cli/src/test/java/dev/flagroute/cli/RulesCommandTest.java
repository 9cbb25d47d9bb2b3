package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code flagroute rules}: its usage, its refusals, and the Grafana dashboard it writes. */
class RulesCommandTest {
  private static final String ROUTES = CliRun.fixture("/cli/rules/routes.yaml");
  private static final String EVERY_MESH = CliRun.fixture("/cli/every-mesh/routes.yaml");

  @TempDir
  Path dir;

  @Test
  void helpNamesEveryEngineAndTheTopLevelUsageListsTheCommand() {
    CliRun help = CliRun.of("rules", "--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("prometheus", "grafana", "argo", "flagger", "--window", "--prometheus-address");
    assertThat(CliRun.of("--help").out()).contains("rules ");
  }

  @Test
  void badInputIsRefusedWithExitStatusTwoAndAReason() {
    assertRefused(CliRun.of("rules", "--routes", ROUTES), "name the engine");
    assertRefused(CliRun.of("rules", "datadog", "--routes", ROUTES), "unknown engine 'datadog'");
    assertRefused(CliRun.of("rules", "prometheus", "grafana", "--routes", ROUTES), "expected one engine");
    assertRefused(CliRun.of("rules", "prometheus"), "option --routes is required");
    assertRefused(CliRun.of("rules", "prometheus", "--routes", ROUTES, "--window", "5 minutes"),
        "--window '5 minutes' is not a Prometheus duration");
    assertRefused(CliRun.of("rules", "prometheus", "--routes", dir.resolve("none.yaml").toString()),
        "no such file");
    assertRefused(CliRun.of("rules", "grafana", "--routes", ROUTES, "--color"), "unknown option '--color'");
  }

  @Test
  void analysisNeedsAVariantBesidesTheDefault() throws IOException {
    Path routes = Files.writeString(dir.resolve("routes.yaml"),
        "routes:\n  - flag: solo\n    service: reviews\n    default: v1\n    variants:\n      v1: v1\n");
    assertRefused(CliRun.of("rules", "argo", "--routes", routes.toString()), "nothing to analyse");
    assertThat(CliRun.of("rules", "prometheus", "--routes", routes.toString()).status()).isZero();
  }

  @Test
  void writesToAFileWhenAsked() throws IOException {
    Path out = dir.resolve("rules.yml");
    CliRun run = CliRun.of("rules", "prometheus", "--routes", ROUTES, "--out", out.toString());
    assertThat(run.status()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("wrote prometheus for 2 flags to " + out);
    assertThat(Files.readString(out)).contains("alert: FlagrouteVariantErrorRatio");
  }

  @Test
  void theDashboardHasARowPerFlagAndPanelsWithASeriesPerVariantThatDoNotOverlap() {
    for (String routes : List.of(ROUTES, EVERY_MESH)) {
      CliRun grafana = CliRun.of("rules", "grafana", "--routes", routes);
      assertThat(grafana.status()).as(grafana.err()).isZero();
      JsonNode dashboard = JsonMapper.builder().build().readTree(grafana.out());
      assertThat(dashboard.get("schemaVersion").asInt()).isEqualTo(GrafanaDashboard.SCHEMA_VERSION);
      assertThat(dashboard.get("templating").get("list").get(0).get("type").asString()).isEqualTo("datasource");
      List<JsonNode> panels = new ArrayList<>();
      dashboard.get("panels").forEach(panels::add);
      Set<Integer> ids = new HashSet<>();
      List<int[]> cells = new ArrayList<>();
      String flag = null;
      int rows = 0;
      for (JsonNode panel : panels) {
        assertThat(ids.add(panel.get("id").asInt())).as("unique id").isTrue();
        JsonNode grid = panel.get("gridPos");
        int x = grid.get("x").asInt();
        int y = grid.get("y").asInt();
        for (int dx = 0; dx < grid.get("w").asInt(); dx++) {
          for (int dy = 0; dy < grid.get("h").asInt(); dy++) {
            int[] cell = {x + dx, y + dy};
            assertThat(cells).as("panel %s overlaps", panel.get("title")).noneMatch(c -> c[0] == cell[0]
                && c[1] == cell[1]);
            cells.add(cell);
          }
        }
        assertThat(x + grid.get("w").asInt()).isLessThanOrEqualTo(24);
        if (panel.get("type").asString().equals("row")) {
          rows++;
          flag = panel.get("title").asString().split(" ")[1];
          continue;
        }
        JsonNode target = panel.get("targets").get(0);
        assertThat(target.get("expr").asString()).contains("flag=\"" + flag + "\"");
        assertThat(target.get("legendFormat").asString()).startsWith("{{variant}}");
        assertThat(panel.get("datasource").get("uid").asString()).isEqualTo("${datasource}");
      }
      int flags = routes.equals(ROUTES) ? 2 : 3;
      assertThat(rows).isEqualTo(flags);
      assertThat(panels).hasSize(flags * 9);
    }
  }

  private static void assertRefused(CliRun run, String reason) {
    assertThat(run.status()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("flagroute rules: ").contains(reason).contains("flagroute rules --help");
  }
}
