package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.override.OverrideResult;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
  private static final String SECRET = "wj6HZ4gIILkCllauH3jgeqzMVhdybdd2-test-secret";
  private static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
          .build(),
      FlagRoute.builder("search").service("search").variant("off", "v1").variant("on", "v2").defaultVariant("off")
          .build());

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final Map<String, String> environment = Map.of("FLAGROUTE_OVERRIDE_SECRET", SECRET, "SHORT", "tiny");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new TokenCommand(environment::get, clock).run(List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private OverrideResult verify(String token) {
    return verifyAt(clock, token);
  }

  private static OverrideResult verifyAt(Clock at, String token) {
    return OverrideTokens.builder(SECRET).clock(at).build().verify(token, ROUTES);
  }

  @Test
  void mintsATokenFromASecretInTheEnvironment() {
    assertThat(run("--secret-env", "FLAGROUTE_OVERRIDE_SECRET", "--flag", "checkout=v2", "--flag=search=on", "--ttl", "2h"))
        .isZero();

    assertThat(out().lines()).hasSize(1);
    assertThat(verify(out().strip()))
        .isEqualTo(new OverrideResult.Accepted(Map.of("checkout", "v2", "search", "on"), Instant.parse("2025-06-01T14:00:00Z")));
    assertThat(err()).contains("x-flagroute-override").contains("2025-06-01T14:00:00Z");
  }

  @Test
  void mintsATokenFromASecretFileWithATrailingNewlineAndTheDefaultLifetime(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), SECRET + "\n");

    assertThat(run("--secret-file", secret.toString(), "--flag", "checkout=v2")).isZero();

    assertThat(verify(out().strip()))
        .isEqualTo(new OverrideResult.Accepted(Map.of("checkout", "v2"), Instant.parse("2025-06-01T12:15:00Z")));
    Clock expired = Clock.fixed(NOW.plus(Duration.ofMinutes(15)), ZoneOffset.UTC);
    assertThat(verifyAt(expired, out().strip())).isInstanceOf(OverrideResult.Rejected.class);
  }

  @Test
  void bindsTheTokenToASubjectAndAnAudience() {
    assertThat(run("--secret-env", "FLAGROUTE_OVERRIDE_SECRET", "--flag", "checkout=v2", "--subject", "alice",
        "--audience=frontend")).isZero();

    OverrideTokens frontend = OverrideTokens.builder(SECRET).clock(clock).audience("frontend").build();
    String token = out().strip();
    assertThat(frontend.verify(token, ROUTES, "alice")).isInstanceOf(OverrideResult.Accepted.class);
    assertThat(frontend.verify(token, ROUTES, "bob")).isInstanceOf(OverrideResult.Rejected.class);
    assertThat(OverrideTokens.builder(SECRET).clock(clock).audience("admin").build().verify(token, ROUTES, "alice"))
        .isInstanceOf(OverrideResult.Rejected.class);
    assertThat(err()).contains("for subject alice").contains("at frontend");
  }

  @Test
  void refusesABadAudience() {
    assertThat(run("--secret-env", "FLAGROUTE_OVERRIDE_SECRET", "--flag", "checkout=v2", "--audience", "Front End"))
        .isEqualTo(1);
    assertThat(err()).contains("audience");
  }

  @Test
  void neverTakesTheSecretAsAnArgument() {
    assertThat(run("--secret", SECRET, "--flag", "checkout=v2")).isEqualTo(2);

    assertThat(err()).contains("never taken on the command line");
    assertThat(out()).isEmpty();
  }

  @Test
  void usageErrorsExitWithTwoAndExplain() {
    assertThat(run("--flag", "checkout=v2")).isEqualTo(2);
    assertThat(run("--secret-env", "FLAGROUTE_OVERRIDE_SECRET")).isEqualTo(2);
    assertThat(run("--secret-env", "FLAGROUTE_OVERRIDE_SECRET", "--secret-file", "f", "--flag", "checkout=v2")).isEqualTo(2);
    assertThat(run("--secret-env", "FLAGROUTE_OVERRIDE_SECRET", "--flag", "checkout")).isEqualTo(2);
    assertThat(run("--secret-env", "FLAGROUTE_OVERRIDE_SECRET", "--flag", "checkout=v2", "--ttl", "soon")).isEqualTo(2);
    assertThat(run("--secret-env")).isEqualTo(2);
    assertThat(run("--bogus")).isEqualTo(2);
    assertThat(err()).contains("exactly one of", "at least one --flag", "KEY=VARIANT", "not a duration", "needs a value",
        "unknown option '--bogus'");
    assertThat(out()).isEmpty();
  }

  @Test
  void badSecretsAndBadTokensExitWithOne(@TempDir Path dir) {
    assertThat(run("--secret-env", "UNSET", "--flag", "checkout=v2")).isEqualTo(1);
    assertThat(run("--secret-env", "SHORT", "--flag", "checkout=v2")).isEqualTo(1);
    assertThat(run("--secret-file", dir.resolve("missing").toString(), "--flag", "checkout=v2")).isEqualTo(1);
    assertThat(run("--secret-env", "FLAGROUTE_OVERRIDE_SECRET", "--flag", "checkout=v2", "--ttl", "3d")).isEqualTo(1);
    assertThat(run("--secret-env", "FLAGROUTE_OVERRIDE_SECRET", "--flag", "check out=v2")).isEqualTo(1);
    assertThat(err()).contains("is not set", "at least 32 bytes", "cannot read secret file", "between 1 second", "not a flag key");
    assertThat(out()).isEmpty();
  }

  @Test
  void helpDescribesEveryOption() {
    assertThat(run("--help")).isZero();

    assertThat(out()).contains("--secret-env", "--secret-file", "--flag", "--ttl", "--subject", "--audience",
        "x-flagroute-override", "bearer");
  }

  @Test
  void parsesShortAndIsoDurations() {
    assertThat(TokenCommand.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(TokenCommand.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(TokenCommand.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(TokenCommand.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(TokenCommand.parseDuration("PT20M")).isEqualTo(Duration.ofMinutes(20));
  }
}
