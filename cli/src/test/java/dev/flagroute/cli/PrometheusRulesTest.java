package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of {@code flagroute rules prometheus} in the real {@code promtool}: they load
 * ({@code check rules}), and {@code cli/rules/promtool-test.yml} passes ({@code test rules}): the
 * recorded error ratios, rates, p95 latencies, shares and verdicts over made-up series from two
 * replicas, and which alerts fire when. Skipped when promtool is not installed (Debian's
 * {@code prometheus} package ships it; CI installs it).
 */
class PrometheusRulesTest {
  private static final String ROUTES = CliRun.fixture("/cli/rules/routes.yaml");

  @TempDir
  Path dir;

  @Test
  void promtoolLoadsTheRulesAndTheirUnitTestsPass() throws IOException, InterruptedException {
    Optional<Path> promtool = onPath("promtool");
    assumeTrue(promtool.isPresent(), "promtool is not installed (Debian: apt-get install prometheus), so the"
        + " generated Prometheus rules are not unit-tested here; CI installs it and runs this test");
    CliRun rules = CliRun.of("rules", "prometheus", "--routes", ROUTES, "--out", dir.resolve("rules.yml").toString());
    assertThat(rules.status()).as(rules.err()).isZero();
    Files.copy(Path.of(CliRun.fixture("/cli/rules/promtool-test.yml")), dir.resolve("promtool-test.yml"));

    Result check = run(promtool.get(), "check", "rules", "rules.yml");
    assertThat(check.status()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 16 rules found");
    Result test = run(promtool.get(), "test", "rules", "promtool-test.yml");
    assertThat(test.status()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void promtoolRejectsRulesWhoseUnitTestsDoNotHold() throws IOException, InterruptedException {
    Optional<Path> promtool = onPath("promtool");
    assumeTrue(promtool.isPresent(), "promtool is not installed (Debian: apt-get install prometheus); CI has it");
    CliRun rules = CliRun.of("rules", "prometheus", "--routes", ROUTES, "--window", "10m");
    assertThat(rules.status()).as(rules.err()).isZero();
    // the same tests against rules over another window: the recorded names differ, so they must fail
    Files.writeString(dir.resolve("rules.yml"), rules.out(), StandardCharsets.UTF_8);
    Files.copy(Path.of(CliRun.fixture("/cli/rules/promtool-test.yml")), dir.resolve("promtool-test.yml"));
    Result test = run(promtool.get(), "test", "rules", "promtool-test.yml");
    assertThat(test.status()).as(test.output()).isNotZero();
    assertThat(test.output()).contains("FAILED");
  }

  private Result run(Path promtool, String... args) throws IOException, InterruptedException {
    List<String> command = Stream.concat(Stream.of(promtool.toString()), Stream.of(args)).toList();
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  /** The executable {@code name} on the {@code PATH}, if any. */
  static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator)).filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry, name)).filter(Files::isExecutable).findFirst();
  }

  private record Result(int status, String output) {}
}
