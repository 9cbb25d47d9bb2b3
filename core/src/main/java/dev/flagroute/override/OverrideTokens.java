package dev.flagroute.override;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.internal.RouteNames;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies signed override tokens, which let testers force routing flags at the edge.
 * A token names the flags and variants it forces and its expiry, signed with HMAC-SHA256 under a
 * secret shared by the minter and the edge:
 *
 * <pre>fr1:&lt;expiry epoch seconds&gt;:&lt;flag&gt;=&lt;variant&gt;[,&lt;flag&gt;=&lt;variant&gt;...]:&lt;base64url HMAC&gt;</pre>
 *
 * <p>The token is readable (a tester sees what it forces) but cannot be altered without the
 * secret. Verification is total: it never throws, compares signatures in constant time, reads at
 * most {@link #MAX_TOKEN_LENGTH} characters and checks the signature before trusting any field.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * OverrideTokens tokens = OverrideTokens.builder(System.getenv("FLAGROUTE_OVERRIDE_SECRET")).build();
 * String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15));
 * }</pre>
 */
public final class OverrideTokens {
  /** The shortest secret accepted, in UTF-8 bytes: the output size of SHA-256. */
  public static final int MIN_SECRET_BYTES = 32;
  /**
   * The fewest bytes of a secret that must continue no pattern of the bytes before them (see
   * {@link #builder(String)}); random secrets of {@link #MIN_SECRET_BYTES} or more have far more.
   */
  public static final int MIN_PATTERN_FREE_BYTES = 20;
  /** The longest token read, in chars; longer ones are rejected unread. */
  public static final int MAX_TOKEN_LENGTH = 2048;
  /** The longest lifetime a token may have, unless configured: one day. */
  public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(1);

  private static final String VERSION = "fr1";
  private static final String ALGORITHM = "HmacSHA256";
  private static final int MAX_FLAGS = 64;
  private static final int MAX_PATTERN_PERIOD = 16;
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration maxTtl;

  private OverrideTokens(Builder builder) {
    this.key = new SecretKeySpec(builder.secret, ALGORITHM);
    this.clock = builder.clock;
    this.maxTtl = builder.maxTtl;
  }

  /**
   * Starts tokens signed with {@code secret}: its UTF-8 bytes, ignoring surrounding whitespace (so
   * a secret read from a file with a trailing newline is the same secret).
   *
   * <p>The secret must be at least {@link #MIN_SECRET_BYTES} bytes, and must not be a pattern: at
   * least {@link #MIN_PATTERN_FREE_BYTES} of its bytes must continue no pattern of the bytes before
   * them. A byte continues a pattern when it repeats the step between the two bytes before it
   * ({@code aaaa}, {@code abcd}, {@code 9753}), or when it and the byte before it repeat the two
   * bytes 1 to 16 positions earlier ({@code abab}, {@code passwordpassword}). So {@code "a"} times
   * 32, a repeated word and ascending or descending runs are refused, while the output of
   * {@code openssl rand -base64 32} or {@code openssl rand -hex 16} passes. The error message
   * never shows the secret or its length.
   *
   * @throws IllegalArgumentException if the secret is too short or a pattern
   */
  public static Builder builder(String secret) {
    return new Builder(secret);
  }

  /**
   * A token forcing {@code variants} (flag key to variant) until {@code ttl} from now.
   *
   * @throws IllegalArgumentException if a flag key or variant is not a legal name, there are no
   *     variants or more than 64, or {@code ttl} is under a second or over the maximum lifetime
   */
  public String mint(Map<String, String> variants, Duration ttl) {
    Objects.requireNonNull(variants, "variants");
    Objects.requireNonNull(ttl, "ttl");
    if (variants.isEmpty() || variants.size() > MAX_FLAGS) {
      throw new IllegalArgumentException("an override token forces 1 to " + MAX_FLAGS + " flags, not " + variants.size());
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("token lifetime " + ttl + " must be between 1 second and " + maxTtl);
    }
    StringBuilder pairs = new StringBuilder();
    variants.forEach((flag, variant) -> {
      if (flag == null || !RouteNames.FLAG_KEY.matcher(flag).matches()) {
        throw new IllegalArgumentException("'" + flag + "' is not a flag key");
      }
      if (!RouteNames.isVariant(variant)) {
        throw new IllegalArgumentException("'" + variant + "' is not a variant name (flag '" + flag + "')");
      }
      pairs.append(pairs.length() == 0 ? "" : ",").append(flag).append('=').append(variant);
    });
    long expiry = clock.instant().getEpochSecond() + ttl.toSeconds();
    String signed = VERSION + ':' + expiry + ':' + pairs;
    String token = signed + ':' + signature(signed);
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException("the token would be " + token.length() + " chars, over " + MAX_TOKEN_LENGTH);
    }
    return token;
  }

  /**
   * Checks {@code token} against this secret, the clock and {@code routes}: it is accepted only if
   * it is well formed, signed with this secret, not expired, does not expire later than the maximum
   * lifetime from now (plus a minute for clocks that disagree), and names only flags of {@code routes} with variants they have. Never throws.
   */
  public OverrideResult verify(String token, FlagRoutes routes) {
    if (token == null || token.isEmpty()) {
      return new OverrideResult.Rejected(OverrideRejection.MALFORMED);
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      return new OverrideResult.Rejected(OverrideRejection.TOO_LONG);
    }
    int last = token.lastIndexOf(':');
    if (!printableAscii(token) || last < 0 || !token.startsWith(VERSION + ':')) {
      return new OverrideResult.Rejected(OverrideRejection.MALFORMED);
    }
    String signed = token.substring(0, last);
    byte[] expected = signature(signed).getBytes(StandardCharsets.US_ASCII);
    byte[] actual = token.substring(last + 1).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, actual)) {
      return new OverrideResult.Rejected(OverrideRejection.FORGED);
    }
    return checkClaims(signed, routes);
  }

  private OverrideResult checkClaims(String signed, FlagRoutes routes) {
    String[] fields = signed.split(":", -1);
    if (fields.length != 3 || !fields[1].matches("[0-9]{1,12}") || fields[2].isEmpty()) {
      return new OverrideResult.Rejected(OverrideRejection.MALFORMED);
    }
    Instant expiry = Instant.ofEpochSecond(Long.parseLong(fields[1]));
    Instant now = clock.instant();
    if (!now.isBefore(expiry)) {
      return new OverrideResult.Rejected(OverrideRejection.EXPIRED);
    }
    if (Duration.between(now, expiry).compareTo(maxTtl.plus(CLOCK_SKEW)) > 0) {
      return new OverrideResult.Rejected(OverrideRejection.TOO_LONG_LIVED);
    }
    String[] pairs = fields[2].split(",", -1);
    if (pairs.length > MAX_FLAGS) {
      return new OverrideResult.Rejected(OverrideRejection.MALFORMED);
    }
    Map<String, String> variants = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq < 0 || variants.putIfAbsent(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
        return new OverrideResult.Rejected(OverrideRejection.MALFORMED);
      }
    }
    for (Map.Entry<String, String> entry : variants.entrySet()) {
      FlagRoute route = routes.get(entry.getKey());
      if (route == null || !route.key().equals(entry.getKey())) {
        return new OverrideResult.Rejected(OverrideRejection.UNKNOWN_FLAG);
      }
      if (!route.hasVariant(entry.getValue())) {
        return new OverrideResult.Rejected(OverrideRejection.UNKNOWN_VARIANT);
      }
    }
    return new OverrideResult.Accepted(variants, expiry);
  }

  private String signature(String signed) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return BASE64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }

  private static boolean printableAscii(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "OverrideTokens{maxTtl=" + maxTtl + "}";
  }

  /** Configures {@link OverrideTokens}. */
  public static final class Builder {
    private final byte[] secret;
    private Clock clock = Clock.systemUTC();
    private Duration maxTtl = DEFAULT_MAX_TTL;

    private Builder(String secret) {
      Objects.requireNonNull(secret, "secret");
      this.secret = secret.strip().getBytes(StandardCharsets.UTF_8);
      if (this.secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("the override secret is too short: it must be at least " + MIN_SECRET_BYTES
            + " bytes; generate one with: openssl rand -base64 32");
      }
      if (patternFreeBytes(this.secret) < MIN_PATTERN_FREE_BYTES) {
        throw new IllegalArgumentException("the override secret is a pattern, not a random secret (repeated"
            + " characters, a run such as abcd or 9753, or a repeated word); generate one with: openssl rand -base64 32");
      }
    }

    /**
     * How many bytes of {@code secret} continue no pattern of the bytes before them. A byte
     * continues a pattern when it repeats the step between the two bytes before it ({@code aaaa},
     * {@code abcd}, {@code 9753}), or when it and the byte before it repeat the two bytes 1 to 16
     * positions earlier ({@code abab}, {@code passwordpassword}).
     */
    private static int patternFreeBytes(byte[] secret) {
      int free = 0;
      for (int i = 0; i < secret.length; i++) {
        boolean step = i >= 2 && secret[i] - secret[i - 1] == secret[i - 1] - secret[i - 2];
        boolean repeat = false;
        for (int period = 1; period <= MAX_PATTERN_PERIOD && i - 1 - period >= 0 && !repeat; period++) {
          repeat = secret[i] == secret[i - period] && secret[i - 1] == secret[i - 1 - period];
        }
        free += step || repeat ? 0 : 1;
      }
      return free;
    }

    /** The clock that tokens expire by; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The longest lifetime a token may be minted with or accepted with; one day by default. */
    public Builder maxTtl(Duration maxTtl) {
      if (maxTtl == null || maxTtl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("maxTtl must be at least a second: " + maxTtl);
      }
      this.maxTtl = maxTtl;
      return this;
    }

    /** The token minter and verifier. */
    public OverrideTokens build() {
      return new OverrideTokens(this);
    }
  }
}
