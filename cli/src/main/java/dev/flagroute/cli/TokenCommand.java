package dev.flagroute.cli;

import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code flagroute token}: mints a signed override token. The secret is read from an environment
 * variable or a file, never from the command line, where other users and shell history could see
 * it. Prints the token alone on standard output, for scripts.
 */
public final class TokenCommand implements Command {
  private static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
  private static final int MAX_SECRET_FILE_BYTES = 4096;
  private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})([smhd])");

  private final UnaryOperator<String> environment;
  private final Clock clock;

  /** A command reading the process environment and the system clock. */
  public TokenCommand() {
    this(System::getenv, Clock.systemUTC());
  }

  TokenCommand(UnaryOperator<String> environment, Clock clock) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String summary() {
    return "mint a signed override token that forces flag variants for testers";
  }

  /**
   * Runs the command.
   *
   * @return 0 when a token was printed, 1 when the secret or the token could not be made, 2 on a
   *     usage error
   */
  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (UsageException e) {
      err.println("flagroute token: " + e.getMessage());
      err.println("Try 'flagroute token --help'.");
      return 2;
    }
    if (options.help) {
      help(out);
      return 0;
    }
    try {
      OverrideTokens tokens = OverrideTokens.builder(readSecret(options)).clock(clock).build();
      String token = tokens.mint(options.variants, options.ttl, options.subject, options.audience);
      out.println(token);
      err.println("forces " + options.variants + (options.subject == null ? " for any user" : " for subject "
          + options.subject) + (options.audience == null ? " at any edge" : " at " + options.audience) + " until "
          + clock.instant().plus(options.ttl).truncatedTo(ChronoUnit.SECONDS) + "; send it in the "
          + FlagRouter.DEFAULT_OVERRIDE_HEADER + " header (or the edge's configured one)");
      return 0;
    } catch (IllegalArgumentException | IOException e) {
      err.println("flagroute token: " + e.getMessage());
      return 1;
    }
  }

  private String readSecret(Options options) throws IOException {
    if (options.secretEnv != null) {
      String secret = environment.apply(options.secretEnv);
      if (secret == null || secret.isBlank()) {
        throw new IllegalArgumentException("environment variable " + options.secretEnv + " is not set");
      }
      return secret;
    }
    Path file = Path.of(options.secretFile);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_SECRET_FILE_BYTES + 1);
      if (bytes.length > MAX_SECRET_FILE_BYTES) {
        throw new IllegalArgumentException("secret file " + file + " is larger than " + MAX_SECRET_FILE_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read secret file " + file + ": " + e, e);
    }
  }

  private static void help(PrintStream out) {
    out.println("Usage: flagroute token (--secret-env NAME | --secret-file FILE) --flag KEY=VARIANT [--flag ...]");
    out.println("                       [--ttl DURATION] [--subject TARGETING_KEY] [--audience SERVICE]");
    out.println();
    out.println("Mints a signed override token that forces the given flag variants at an edge configured");
    out.println("with the same secret (HMAC-SHA256, at least " + OverrideTokens.MIN_SECRET_BYTES
        + " random bytes). Prints the token alone on standard output.");
    out.println("A token is a bearer token: whoever holds it can use it until it expires. Bind it to one");
    out.println("user with --subject and to one edge with --audience to limit what a leaked token grants.");
    out.println();
    out.println("  --secret-env NAME    read the secret from environment variable NAME");
    out.println("  --secret-file FILE   read the secret from FILE (surrounding whitespace is ignored)");
    out.println("  --flag KEY=VARIANT   a flag to force; repeat for more");
    out.println("  --ttl DURATION       how long the token is valid: 90s, 15m, 2h, 1d or ISO-8601 (PT15M);");
    out.println("                       default 15m, at most " + OverrideTokens.DEFAULT_MAX_TTL.toHours() + "h");
    out.println("  --subject KEY        only for requests whose targeting key is KEY (the edge's user id)");
    out.println("  --audience SERVICE   only at edges configured with this audience (override.audience)");
    out.println("  --help               print this help");
    out.println();
    out.println("Example:");
    out.println("  curl -H \"" + FlagRouter.DEFAULT_OVERRIDE_HEADER + ": $(flagroute token --secret-env FLAGROUTE_OVERRIDE_SECRET"
        + " --flag checkout=v2)\" https://shop.example/");
  }

  /** Parses a duration such as {@code 15m} or {@code PT15M}. */
  static Duration parseDuration(String text) {
    Matcher matcher = SHORT_DURATION.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new UsageException("'" + text + "' is not a duration such as 90s, 15m, 2h or PT15M");
    }
  }

  private static final class Options {
    private boolean help;
    private String secretEnv;
    private String secretFile;
    private final Map<String, String> variants = new LinkedHashMap<>();
    private Duration ttl = DEFAULT_TTL;
    private String subject;
    private String audience;

    static Options parse(List<String> args) {
      Options options = new Options();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        String name = arg;
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        }
        if (name.equals("--help") || name.equals("-h")) {
          options.help = true;
          continue;
        }
        if (!List.of("--secret-env", "--secret-file", "--flag", "--ttl", "--subject", "--audience").contains(name)) {
          throw new UsageException(name.equals("--secret")
              ? "the secret is never taken on the command line; use --secret-env or --secret-file"
              : "unknown option '" + name + "'");
        }
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
          }
          value = args.get(++i);
        }
        options.set(name, value);
      }
      if (!options.help) {
        options.check();
      }
      return options;
    }

    private void set(String name, String value) {
      switch (name) {
        case "--secret-env" -> secretEnv = value;
        case "--secret-file" -> secretFile = value;
        case "--ttl" -> ttl = parseDuration(value);
        case "--subject" -> subject = value;
        case "--audience" -> audience = value;
        default -> {
          int eq = value.indexOf('=');
          if (eq <= 0 || eq == value.length() - 1) {
            throw new UsageException("--flag wants KEY=VARIANT, not '" + value + "'");
          }
          if (variants.put(value.substring(0, eq), value.substring(eq + 1)) != null) {
            throw new UsageException("flag '" + value.substring(0, eq) + "' is given twice");
          }
        }
      }
    }

    private void check() {
      if ((secretEnv == null) == (secretFile == null)) {
        throw new UsageException("give exactly one of --secret-env NAME or --secret-file FILE");
      }
      if (variants.isEmpty()) {
        throw new UsageException("give at least one --flag KEY=VARIANT");
      }
    }
  }

  private static final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
      super(message);
    }
  }
}
