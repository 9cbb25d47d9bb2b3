package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: flagroute <command>", "token");
  }

  @Test
  void noCommandOrAnUnknownOneIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("launch")).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'launch'", "Commands:");
  }

  @Test
  void dispatchesTheRemainingArgumentsToTheCommand() {
    assertThat(run("token", "--help")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: flagroute token");
  }
}
