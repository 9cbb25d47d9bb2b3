package dev.flagroute.override;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.WireNames;
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
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies signed override tokens, which let testers force routing flags at the edge.
 * A token names the flags and variants it forces, its expiry and, optionally, the one subject
 * (targeting key) and the one audience (service) it is for, signed with HMAC-SHA256 under a secret
 * shared by the minter and the edge:
 *
 * <pre>fr2:&lt;expiry epoch seconds&gt;:&lt;flag&gt;=&lt;variant&gt;[,...]:&lt;subject&gt;:&lt;audience&gt;:&lt;base64url HMAC&gt;</pre>
 *
 * <p>The subject is the base64url (unpadded) UTF-8 targeting key, the audience a service name;
 * either is empty when the token is not bound to one. The signature covers every field.
 *
 * <p><b>Tokens are bearer tokens.</b> Whoever holds a valid token can use it until it expires: an
 * unbound token forces its flags for any request, any user, at any edge sharing the secret. Bind a
 * token to a subject ({@link #mint(Map, Duration, String, String)}) and it forces nothing for any
 * other targeting key; bind it to an audience and only an edge configured with that audience
 * ({@link Builder#audience}) accepts it. Lifetimes are capped ({@link Builder#maxTtl}, one day by
 * default). Edges strip the override header from what the application sees and outbound stamping
 * strips it from every call, so a token does not travel past the edge it was sent to. Tokens of
 * the first format, {@code fr1}, which could bind nothing, are no longer accepted.
 *
 * <p>The token is readable (a tester sees what it forces) but cannot be altered without the
 * secret. Verification is total: it never throws, compares signatures in constant time, reads at
 * most {@link #MAX_TOKEN_LENGTH} characters and checks the signature before trusting any field.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * OverrideTokens tokens = OverrideTokens.builder(System.getenv("FLAGROUTE_OVERRIDE_SECRET")).build();
 * String anyone = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15));
 * String aliceAtFrontend = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15), "alice", "frontend");
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

  /**
   * The header carrying override tokens unless an edge is configured otherwise. Outbound stamping
   * removes it from every call ({@code HeaderCodec.strips}), so a token never travels past an edge.
   */
  public static final String DEFAULT_HEADER = WireNames.OVERRIDE_HEADER;
  /** The longest subject a token can be bound to, in chars: the longest targeting key routers cache. */
  public static final int MAX_SUBJECT_LENGTH = 256;

  private static final String VERSION = "fr2";
  private static final String ALGORITHM = "HmacSHA256";
  private static final int MAX_FLAGS = 64;
  private static final int MAX_PATTERN_PERIOD = 16;
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
  private static final Pattern SUBJECT_FIELD = Pattern.compile("[A-Za-z0-9_-]*");

  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration maxTtl;
  private final String audience;
  private final boolean acceptUnbound;

  private OverrideTokens(Builder builder) {
    this.key = new SecretKeySpec(builder.secret, ALGORITHM);
    this.clock = builder.clock;
    this.maxTtl = builder.maxTtl;
    this.audience = builder.audience;
    this.acceptUnbound = builder.acceptUnbound;
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
   * An unbound token forcing {@code variants} (flag key to variant) until {@code ttl} from now: a
   * bearer token that works for any request at any edge sharing the secret.
   *
   * @throws IllegalArgumentException if a flag key or variant is not a legal name, there are no
   *     variants or more than 64, or {@code ttl} is under a second or over the maximum lifetime
   */
  public String mint(Map<String, String> variants, Duration ttl) {
    return mint(variants, ttl, null, null);
  }

  /**
   * A token forcing {@code variants} (flag key to variant) until {@code ttl} from now, for requests
   * whose targeting key is {@code subject} (any, if null), at edges whose audience is
   * {@code audience} (any, if null).
   *
   * @throws IllegalArgumentException if a flag key or variant is not a legal name, there are no
   *     variants or more than 64, {@code ttl} is under a second or over the maximum lifetime, the
   *     subject is empty or longer than {@link #MAX_SUBJECT_LENGTH}, or the audience is not a
   *     lowercase DNS name
   */
  public String mint(Map<String, String> variants, Duration ttl, String subject, String audience) {
    Objects.requireNonNull(variants, "variants");
    Objects.requireNonNull(ttl, "ttl");
    if (variants.isEmpty() || variants.size() > MAX_FLAGS) {
      throw new IllegalArgumentException("an override token forces 1 to " + MAX_FLAGS + " flags, not " + variants.size());
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("token lifetime " + ttl + " must be between 1 second and " + maxTtl);
    }
    if (subject != null && (subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH)) {
      throw new IllegalArgumentException("a token's subject is a targeting key of 1 to " + MAX_SUBJECT_LENGTH
          + " chars");
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
    String signed = VERSION + ':' + expiry + ':' + pairs + ':'
        + (subject == null ? "" : BASE64.encodeToString(subject.getBytes(StandardCharsets.UTF_8))) + ':'
        + (audience == null ? "" : checkedAudience(audience));
    String token = signed + ':' + signature(signed);
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException("the token would be " + token.length() + " chars, over " + MAX_TOKEN_LENGTH);
    }
    return token;
  }

  /**
   * Checks {@code token} for a request without a targeting key: as
   * {@link #verify(String, FlagRoutes, String)} with no subject, so a token bound to a subject is
   * rejected. Never throws.
   */
  public OverrideResult verify(String token, FlagRoutes routes) {
    return verify(token, routes, null);
  }

  /**
   * Checks {@code token} against this secret, the clock, this verifier's audience, the request's
   * targeting key {@code subject} (null if it has none) and {@code routes}: it is accepted only if
   * it is well formed, signed with this secret, not expired, does not expire later than the maximum
   * lifetime from now (plus a minute for clocks that disagree), is bound to this verifier's
   * audience (or, when the verifier has none or {@linkplain Builder#acceptUnbound accepts unbound
   * tokens}, to no audience), to no subject or to {@code subject}, and names only flags of
   * {@code routes} with variants they have. Never throws.
   */
  public OverrideResult verify(String token, FlagRoutes routes, String subject) {
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
    return checkClaims(signed, routes, subject);
  }

  private OverrideResult checkClaims(String signed, FlagRoutes routes, String subject) {
    String[] fields = signed.split(":", -1);
    if (fields.length != 5 || !fields[1].matches("[0-9]{1,12}") || fields[2].isEmpty()
        || !SUBJECT_FIELD.matcher(fields[3]).matches()) {
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
    if (!fields[4].isEmpty() && !fields[4].equals(audience)) {
      return new OverrideResult.Rejected(OverrideRejection.WRONG_AUDIENCE);
    }
    if (fields[4].isEmpty() && audience != null && !acceptUnbound) {
      return new OverrideResult.Rejected(OverrideRejection.UNBOUND);
    }
    if (!fields[3].isEmpty() && (subject == null || !fields[3].equals(BASE64.encodeToString(
        subject.getBytes(StandardCharsets.UTF_8))))) {
      return new OverrideResult.Rejected(OverrideRejection.WRONG_SUBJECT);
    }
    return checkVariants(fields[2], routes, expiry);
  }

  private static OverrideResult checkVariants(String field, FlagRoutes routes, Instant expiry) {
    String[] pairs = field.split(",", -1);
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

  private static String checkedAudience(String audience) {
    if (!RouteNames.SERVICE.matcher(audience).matches()) {
      throw new IllegalArgumentException("a token's audience is a service name: a lowercase DNS name such as"
          + " 'frontend', not '" + audience + "'");
    }
    return audience;
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
    return "OverrideTokens{maxTtl=" + maxTtl + (audience == null ? "" : ", audience=" + audience) + "}";
  }

  /** Configures {@link OverrideTokens}. */
  public static final class Builder {
    private final byte[] secret;
    private Clock clock = Clock.systemUTC();
    private Duration maxTtl = DEFAULT_MAX_TTL;
    private String audience;
    private boolean acceptUnbound;

    private Builder(String secret) {
      Objects.requireNonNull(secret, "secret");
      this.secret = secret.strip().getBytes(StandardCharsets.UTF_8);
      if (this.secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("the override secret is too short: it must be at least " + MIN_SECRET_BYTES
            + " bytes; generate one with: openssl rand -base64 32");
      }
      if (patternFreeBytes(this.secret) < MIN_PATTERN_FREE_BYTES) {
        throw new IllegalArgumentException("the override secret is a pattern, not a random secret (repeated"
            + " characters, a run such as abcd or 9753, or a repeated word); generate one with:"
            + " openssl rand -base64 32");
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

    /**
     * This edge's audience, a service name such as {@code frontend}: it accepts tokens bound to it,
     * and rejects tokens bound to another audience and, unless {@link #acceptUnbound}, unbound ones,
     * which could be replayed at any edge sharing the secret. Without one (the default) it accepts
     * only unbound tokens: it rejects every token bound to an audience, which it cannot tell is
     * meant for it.
     *
     * @throws IllegalArgumentException if {@code service} is not a lowercase DNS name
     */
    public Builder audience(String service) {
      this.audience = checkedAudience(Objects.requireNonNull(service, "service"));
      return this;
    }

    /**
     * With an {@link #audience}, whether tokens bound to no audience are accepted too; {@code false}
     * by default, so that setting an audience forces binding. For a fleet moving to bound tokens.
     */
    public Builder acceptUnbound(boolean accept) {
      this.acceptUnbound = accept;
      return this;
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
