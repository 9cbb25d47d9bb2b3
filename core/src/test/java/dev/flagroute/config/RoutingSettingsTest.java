package dev.flagroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.context.FlagContext;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.guard.GuardStatus;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Ramp;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestRoutes;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every setting parsed and validated once, with errors that name it as the user wrote it. */
class RoutingSettingsTest {
  private static final String SECRET = "m7Rrf7k1vZBMm764HhpLgAijNVMj8wnn-settings";
  private static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build());

  private static RoutingSettings read(Map<Setting, String> values) {
    return RoutingSettings.read(SettingSource.of(values, setting -> "flagroute." + setting.key()));
  }

  @Test
  void unsetSettingsTakeTheDefaults() {
    RoutingSettings settings = read(Map.of());

    assertThat(settings.mode()).isNull();
    assertThat(settings.codec()).isEqualTo(HeaderCodec.perFlag());
    assertThat(settings.limits()).isEqualTo(HeaderLimits.DEFAULT);
    assertThat(settings.targetingKey()).isEqualTo(TargetingKey.NONE);
    assertThat(settings.attributeHeaders()).isEmpty();
    assertThat(settings.effective()).containsEntry("mode", "not set").containsEntry("override.secret", "not set")
        .containsEntry("header.codec", "HeaderCodec.perFlag(x-flag-)").containsEntry("deadline", "none");
    assertThatThrownBy(() -> settings.routerBuilder(ROUTES)).isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("flagroute.mode: is required");
  }

  @Test
  void everySettingReachesTheRouter() {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    values.put(Setting.MODE, "RELAY");
    values.put(Setting.CODEC, "combined");
    values.put(Setting.HEADER_NAME, "X-Routing");
    values.put(Setting.MAX_FLAGS, "8");
    values.put(Setting.TARGETING_KEY, "header:x-user-id");
    values.put(Setting.ATTRIBUTE_HEADERS, "plan=x-plan, tenant = x-tenant");
    values.put(Setting.CACHE_TTL, "90s");
    values.put(Setting.DEADLINE, "PT0.05S");
    values.put(Setting.SERVICE_NAME, "reviews");
    values.put(Setting.SERVICE_VERSION, "v1");
    values.put(Setting.SHADOW_HEADER, "X-Dark-Launch");
    RoutingSettings settings = read(values);

    assertThat(settings.mode()).isEqualTo(RoutingMode.RELAY);
    assertThat(settings.codec()).isEqualTo(HeaderCodec.combined("x-routing"));
    assertThat(settings.limits().maxFlags()).isEqualTo(8);
    assertThat(settings.targetingKey()).isEqualTo(new TargetingKey(TargetingKey.Source.HEADER, "x-user-id"));
    assertThat(settings.attributeHeaders()).containsExactly(Map.entry("plan", "x-plan"), Map.entry("tenant", "x-tenant"));
    assertThat(settings.effective()).containsEntry("deadline", Duration.ofMillis(50).toString())
        .containsEntry("service", "reviews v1");
    FlagRouter router = settings.routerBuilder(ROUTES).build();
    FlagContext flags = router.route(Map.of("x-routing", "checkout=v2"), HeaderGetter.forMap());
    assertThat(flags.variant("checkout")).isEqualTo("v2");
    assertThat(router.codec().headerNames(ROUTES)).containsExactly("x-routing");
    assertThat(settings.effective()).containsEntry("shadow.header", "x-dark-launch");
    assertThat(router.route(Map.of("x-dark-launch", "1"), HeaderGetter.forMap()).isShadow()).isTrue();
    assertThat(router.route(Map.of(FlagRouter.DEFAULT_SHADOW_HEADER, "1"), HeaderGetter.forMap()).isShadow()).isFalse();
  }

  @Test
  void theRolloutGuardIsConfiguredForListedFlagsAtTheEdge() {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    values.put(Setting.MODE, "edge");
    values.put(Setting.GUARD_FLAGS, "CHECKOUT");
    values.put(Setting.GUARD_FAILURE_RATIO, "0.25");
    values.put(Setting.GUARD_MIN_REQUESTS, "50");
    values.put(Setting.GUARD_MARGIN, "0");
    values.put(Setting.GUARD_WINDOW, "1m");
    values.put(Setting.GUARD_COOL_DOWN, "PT2M");
    values.put(Setting.GUARD_PROBE_SHARE, "1");
    values.put(Setting.GUARD_PROBE_REQUESTS, "3");
    RoutingSettings settings = read(values);

    assertThat(settings.guardFlags()).containsExactly("CHECKOUT");
    assertThat(settings.guardPolicy()).isEqualTo(new GuardPolicy(0.25, 50, 0, Duration.ofMinutes(1),
        Duration.ofMinutes(2), 1, 3));
    assertThat(settings.effective().get("guard")).startsWith("CHECKOUT: trips a variant with more than 0.25 of at least 50");
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = settings.routerBuilder(ROUTES).client(openFeature.client()).build();
      assertThat(router.guardStatus()).extracting(GuardStatus::flagKey, GuardStatus::variant)
          .containsExactly(tuple("checkout", "v2"));
    }
    assertThat(read(Map.of()).effective()).containsEntry("guard", "off");
    assertThat(read(Map.of()).guardPolicy()).isNull();
  }

  @Test
  void guardErrorsNameTheSetting() {
    assertProblem(Map.of(Setting.GUARD_FAILURE_RATIO, "0.5"), Setting.GUARD_FAILURE_RATIO,
        "applies only to guarded flags; list them in flagroute.guard.flags");
    assertProblem(Map.of(Setting.MODE, "relay", Setting.GUARD_FLAGS, "checkout"), Setting.GUARD_FLAGS, "edge only");
    assertProblem(Map.of(Setting.GUARD_FLAGS, "checkout", Setting.GUARD_FAILURE_RATIO, "1"),
        Setting.GUARD_FAILURE_RATIO, "must be a number above 0 and below 1 such as 0.5, was '1'");
    assertProblem(Map.of(Setting.GUARD_FLAGS, "checkout", Setting.GUARD_MARGIN, "lots"), Setting.GUARD_MARGIN,
        "must be a number at least 0 and below 1");
    assertProblem(Map.of(Setting.GUARD_FLAGS, "checkout", Setting.GUARD_PROBE_SHARE, "0"), Setting.GUARD_PROBE_SHARE,
        "above 0 and at most 1");
    assertProblem(Map.of(Setting.GUARD_FLAGS, "checkout", Setting.GUARD_WINDOW, "PT0.0001S"), Setting.GUARD_WINDOW,
        "must be at least 1ms");
    InvalidSettingException unknown = catchThrowableOfType(InvalidSettingException.class,
        () -> read(Map.of(Setting.MODE, "edge", Setting.GUARD_FLAGS, "payments")).routerBuilder(ROUTES));
    assertThat(unknown.getMessage()).startsWith("flagroute.guard.flags: cannot guard flag 'payments'");
  }

  @Test
  void verdictsAreMadeForListedAndRampedFlagsAtTheEdge() {
    FlagRoutes ramped = FlagRoutes.of(ROUTES.get("checkout"), FlagRoute.builder("search").service("search")
        .variant("off", "v1").variant("on", "v2").defaultVariant("off")
        .ramp("on", Ramp.of(Instant.parse("2026-01-05T09:00:00Z"), Duration.ofMinutes(10), 5, 50)).build());
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    values.put(Setting.MODE, "edge");
    values.put(Setting.VERDICT_FLAGS, "CHECKOUT");
    values.put(Setting.VERDICT_ALPHA, "0.01");
    values.put(Setting.VERDICT_MIN_REQUESTS, "500");
    values.put(Setting.VERDICT_ERROR_DIFFERENCE, "0.02");
    values.put(Setting.VERDICT_SLOW_SHARE_DIFFERENCE, "0.1");
    values.put(Setting.VERDICT_SLOW_QUANTILE, "0.99");
    values.put(Setting.VERDICT_CALIBRATION_REQUESTS, "2000");
    values.put(Setting.VERDICT_HOLD_BACK_WORSE, "true");
    RoutingSettings settings = read(values);

    assertThat(settings.verdictFlags()).containsExactly("CHECKOUT");
    assertThat(settings.verdictPolicy()).isEqualTo(new VerdictPolicy(0.01, 500, 0.02, 0.1, 0.99, 2000, true));
    assertThat(settings.effective().get("verdicts")).startsWith("CHECKOUT and every ramped flag: WORSE or BETTER at"
        + " alpha 0.01 after at least 500 requests per side").endsWith("; WORSE variants held back");
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = settings.routerBuilder(ramped).client(openFeature.client()).build();
      assertThat(router.verdicts()).extracting(Verdict::flagKey, Verdict::variant)
          .containsExactly(tuple("checkout", "v2"), tuple("search", "on"));
      FlagRouter defaults = read(Map.of(Setting.MODE, "edge")).routerBuilder(ramped).client(openFeature.client())
          .build();
      assertThat(defaults.verdicts()).as("ramped flags alone").extracting(Verdict::flagKey).containsExactly("search");
    }
    assertThat(read(Map.of()).verdictPolicy()).isEqualTo(VerdictPolicy.defaults());
    assertThat(read(Map.of(Setting.MODE, "relay")).effective()).containsEntry("verdicts", "off");
  }

  @Test
  void verdictErrorsNameTheSetting() {
    assertProblem(Map.of(Setting.MODE, "relay", Setting.VERDICT_FLAGS, "checkout"), Setting.VERDICT_FLAGS,
        "verdicts are made at the edge only");
    assertProblem(Map.of(Setting.VERDICT_ALPHA, "0.6"), Setting.VERDICT_ALPHA, "alpha must be above 0 and at most 0.5");
    assertProblem(Map.of(Setting.VERDICT_SLOW_QUANTILE, "0.3"), Setting.VERDICT_SLOW_QUANTILE,
        "slow quantile must be above 0.5");
    assertProblem(Map.of(Setting.VERDICT_CALIBRATION_REQUESTS, "10"), Setting.VERDICT_CALIBRATION_REQUESTS,
        "at least 100");
    assertProblem(Map.of(Setting.VERDICT_ERROR_DIFFERENCE, "1"), Setting.VERDICT_ERROR_DIFFERENCE,
        "must be a number above 0 and below 1");
    assertProblem(Map.of(Setting.VERDICT_HOLD_BACK_WORSE, "yes"), Setting.VERDICT_HOLD_BACK_WORSE, "yes");
    InvalidSettingException unjudged = catchThrowableOfType(InvalidSettingException.class,
        () -> read(Map.of(Setting.MODE, "edge", Setting.VERDICT_MIN_REQUESTS, "50")).routerBuilder(ROUTES));
    assertThat(unjudged.getMessage()).startsWith("flagroute.verdicts.min-requests: applies only to judged flags")
        .contains("flagroute.verdicts.flags");
    InvalidSettingException unknown = catchThrowableOfType(InvalidSettingException.class,
        () -> read(Map.of(Setting.MODE, "edge", Setting.VERDICT_FLAGS, "payments")).routerBuilder(ROUTES));
    assertThat(unknown.getMessage()).startsWith("flagroute.verdicts.flags: cannot judge flag 'payments'");
  }

  @Test
  void theSecretComesFromAFileAndIsNeverShown(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("secret"), SECRET + "\n");
    RoutingSettings settings = read(Map.of(Setting.MODE, "edge", Setting.OVERRIDE_SECRET_FILE, file.toString()));

    assertThat(settings.effective()).containsEntry("override.secret", EffectiveSettings.SECRET_SET)
        .allSatisfy((key, value) -> assertThat(value).doesNotContain(SECRET));
    assertThatThrownBy(() -> read(Map.of(Setting.OVERRIDE_SECRET, SECRET, Setting.OVERRIDE_SECRET_FILE, "x")))
        .hasMessage("flagroute.override.secret-file: cannot be set together with flagroute.override.secret; keep one");
  }

  @Test
  void anOverrideAudienceWithoutASecretIsAnError() {
    assertThatThrownBy(() -> read(Map.of(Setting.MODE, "edge", Setting.OVERRIDE_AUDIENCE, "frontend")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("flagroute.override.audience: has no effect without flagroute.override.secret or"
            + " flagroute.override.secret-file");
  }

  @Test
  void withAnAudienceUnboundTokensAreRefusedUnlessASettingAcceptsThem() {
    OverrideTokens minter = OverrideTokens.builder(SECRET).build();
    Map<String, String> unbound = Map.of(FlagRouter.DEFAULT_OVERRIDE_HEADER,
        minter.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5)));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      RoutingSettings strict = read(Map.of(Setting.MODE, "edge", Setting.OVERRIDE_SECRET, SECRET,
          Setting.OVERRIDE_AUDIENCE, "frontend"));
      RoutingSettings lenient = read(Map.of(Setting.MODE, "edge", Setting.OVERRIDE_SECRET, SECRET,
          Setting.OVERRIDE_AUDIENCE, "frontend", Setting.OVERRIDE_ACCEPT_UNBOUND, "true"));

      assertThat(strict.routerBuilder(ROUTES).client(openFeature.client()).build()
          .route(unbound, HeaderGetter.forMap()).variant("checkout")).isEqualTo("v1");
      assertThat(lenient.routerBuilder(ROUTES).client(openFeature.client()).build()
          .route(unbound, HeaderGetter.forMap()).variant("checkout")).isEqualTo("v2");
      assertThat(strict.effective()).containsEntry("override.accept-unbound", "false");
      assertThat(lenient.effective()).containsEntry("override.accept-unbound", "true");
    }
    assertThatThrownBy(() -> read(Map.of(Setting.MODE, "edge", Setting.OVERRIDE_SECRET, SECRET,
        Setting.OVERRIDE_ACCEPT_UNBOUND, "true")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("flagroute.override.accept-unbound: has no effect without flagroute.override.audience");
  }

  @Test
  void theOverrideAudienceReachesTheTokens() {
    RoutingSettings settings = read(Map.of(Setting.MODE, "edge", Setting.OVERRIDE_SECRET, SECRET,
        Setting.OVERRIDE_AUDIENCE, "frontend"));
    OverrideTokens minter = OverrideTokens.builder(SECRET).build();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = settings.routerBuilder(ROUTES).client(openFeature.client()).build();
      Map<String, String> forFrontend = Map.of(FlagRouter.DEFAULT_OVERRIDE_HEADER,
          minter.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5), null, "frontend"));
      Map<String, String> forAdmin = Map.of(FlagRouter.DEFAULT_OVERRIDE_HEADER,
          minter.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5), null, "admin"));

      assertThat(router.route(forFrontend, HeaderGetter.forMap()).variant("checkout")).isEqualTo("v2");
      assertThat(router.route(forAdmin, HeaderGetter.forMap()).variant("checkout")).isEqualTo("v1");
    }
    assertThat(settings.effective()).containsEntry("override.audience", "frontend");
    assertProblem(Map.of(Setting.OVERRIDE_SECRET, SECRET, Setting.OVERRIDE_AUDIENCE, "Front End"),
        Setting.OVERRIDE_AUDIENCE, "lowercase DNS name");
  }

  @Test
  void errorsNameTheSettingAndSayWhatToDo() {
    assertProblem(Map.of(Setting.CODEC, "json"), Setting.CODEC, "must be per-flag, combined or baggage");
    assertProblem(Map.of(Setting.HEADER_NAME, "x-f"), Setting.HEADER_NAME,
        "applies to the combined codec only; set flagroute.header.codec to combined or remove it");
    assertProblem(Map.of(Setting.TARGETING_KEY, "cookie:"), Setting.TARGETING_KEY, "'cookie' needs a name");
    assertProblem(Map.of(Setting.TARGETING_KEY, "principal:bob"), Setting.TARGETING_KEY, "'principal' takes no name");
    assertProblem(Map.of(Setting.CACHE_SIZE, "lots"), Setting.CACHE_SIZE, "must be a whole number, was 'lots'");
    assertProblem(Map.of(Setting.CACHE_TTL, "0s"), Setting.CACHE_TTL, "must be positive");
    assertProblem(Map.of(Setting.OVERRIDE_HEADER, "x-flag-force"), Setting.OVERRIDE_HEADER, "is a flag header");
    assertProblem(Map.of(Setting.SHADOW_HEADER, "x-flag-shadow"), Setting.SHADOW_HEADER, "is a flag header");
    assertProblem(Map.of(Setting.SHADOW_HEADER, "x-flagroute-override"), Setting.SHADOW_HEADER, "override header");
    assertProblem(Map.of(Setting.SHADOW_HEADER, "dark launch"), Setting.SHADOW_HEADER, "an HTTP header name");
    assertProblem(Map.of(Setting.SERVICE_VERSION, "v1"), Setting.SERVICE_NAME,
        "is needed together with flagroute.service.version");
    assertProblem(Map.of(Setting.MODE, "relay", Setting.OVERRIDE_SECRET, SECRET), Setting.OVERRIDE_SECRET,
        "read at the edge only");
    assertProblem(Map.of(Setting.OVERRIDE_SECRET, "short"), Setting.OVERRIDE_SECRET, "too short");
    assertProblem(Map.of(Setting.ATTRIBUTE_HEADERS, "plan=x-plan", Setting.CACHE_IGNORED_ATTRIBUTES, "requestId, plan"),
        Setting.CACHE_IGNORED_ATTRIBUTES, "'plan' is also a cache-key attribute (in flagroute.attribute-headers)");
    assertProblem(Map.of(Setting.CACHE_IGNORED_ATTRIBUTES, "targetingKey"), Setting.CACHE_IGNORED_ATTRIBUTES,
        "always part of the cache key");
  }

  @Test
  void ignoredAttributesReachTheRoutersCacheKey() {
    RoutingSettings settings = read(Map.of(Setting.MODE, "edge", Setting.ATTRIBUTE_HEADERS, "plan=x-plan",
        Setting.CACHE_IGNORED_ATTRIBUTES, "requestId, userAgent"));

    assertThat(settings.effective().get("cache"))
        .isEqualTo("10000 entries for PT1M, keyed on the targeting key and [plan] and every other attribute but"
            + " [requestId, userAgent]");
    assertThat(read(Map.of()).effective().get("cache"))
        .isEqualTo("10000 entries for PT1M, keyed on the targeting key and every attribute");
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = settings.routerBuilder(ROUTES).client(openFeature.client()).build();
      router.route(Map.of(), HeaderGetter.forMap(), new ImmutableContext("u", Map.of("requestId", new Value("r1"))));
      router.route(Map.of(), HeaderGetter.forMap(), new ImmutableContext("u", Map.of("requestId", new Value("r2"))));
      assertThat(openFeature.evaluations()).isEqualTo(1);
    }
  }

  /** Whatever is written, reading either works or names one setting; it never echoes the secret. */
  @Property(tries = 500)
  void anyValuesReadOrFailNamingTheSetting(@ForAll("settings") Map<Setting, String> values) {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> read(values));
    if (e != null) {
      assertThat(e.getMessage()).startsWith("flagroute." + e.setting().key() + ": ");
      String secret = values.get(Setting.OVERRIDE_SECRET);
      boolean distinct = secret != null && secret.strip().length() >= 16 && values.entrySet().stream()
          .noneMatch(entry -> entry.getKey() != Setting.OVERRIDE_SECRET && entry.getValue().contains(secret.strip()));
      if (distinct) {
        assertThat(e.getMessage()).as("the secret is never echoed").doesNotContain(secret.strip());
      }
    }
  }

  @Provide
  Arbitrary<Map<Setting, String>> settings() {
    Arbitrary<String> value = Arbitraries.oneOf(
        Arbitraries.of("edge", "relay", "per-flag", "combined", "baggage", "x-flag-", "true", "false", "10", "0", "-1",
            "5m", "250ms", "PT1M", "header:x-user-id", "none", "a=b", "reviews", "v1", SECRET, "x-flag-x", "",
            "0.5", "1", "checkout", "search, checkout"),
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().alpha().numeric().ofMinLength(16).ofMaxLength(48));
    return Arbitraries.maps(Arbitraries.of(Setting.class), value).ofMaxSize(8);
  }

  private static void assertProblem(Map<Setting, String> values, Setting setting, String problem) {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> read(values));
    assertThat(e).as("%s", values).isNotNull();
    assertThat(e.setting()).isEqualTo(setting);
    assertThat(e.settingName()).isEqualTo("flagroute." + setting.key());
    assertThat(e.getMessage()).startsWith("flagroute." + setting.key() + ": ").contains(problem);
    assertThat(e.getMessage()).doesNotContain(SECRET);
  }
}
