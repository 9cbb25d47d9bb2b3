package dev.flagroute.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.config.Setting;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Init parameters ({@code web.xml}) build a working filter or fail with an error naming the problem. */
class InitParametersTest {
  @TempDir
  Path dir;

  @Test
  void relayFromARoutesFile() throws Exception {
    InitParameters.Configured configured = configure(Map.of("routes", routesFile().toString(), "mode", "RELAY",
        "targeting-key", "header:x-user-id", "attribute-headers", "tenant=x-tenant, plan=x-plan"));

    RequestFlags flags = configured.builder().routing().decide(new FakeRequest().header("x-user-id", "alice")
        .header("x-flag-checkout", "v2").header("x-flag-search", "nope").header("x-tenant", "acme").build());

    assertThat(flags.flags().variants()).containsExactly(Map.entry("checkout", "v2"), Map.entry("search", "off"));
    assertThat(flags.evaluationContext().getTargetingKey()).isEqualTo("alice");
    assertThat(flags.evaluationContext().getValue("tenant").asString()).isEqualTo("acme");
    assertThat(flags.evaluationContext().getValue("plan")).isNull();
    assertThat(flags.mdcValue()).isEqualTo("checkout=v2,search=off");
    assertThat(configured.counters().decisions()).isEqualTo(1);
  }

  @Test
  void targetingKeyFromAClass() throws Exception {
    InitParameters.Configured configured = configure(Map.of("routes", routesFile().toString(), "mode", "relay",
        "targeting-key", "class:" + TenantKeys.class.getName(), "mdc-key", " "));

    RequestFlags flags = configured.builder().routing().decide(new FakeRequest().header("x-tenant", "acme").build());

    assertThat(flags.evaluationContext().getTargetingKey()).isEqualTo("tenant:acme");
    assertThat(flags.mdcValue()).as("blank mdc-key turns the MDC entry off").isNull();
  }

  @Test
  void combinedAndBaggageCodecsTakeTheirOwnNames() throws Exception {
    RequestFlags combined = configure(Map.of("routes", routesFile().toString(), "mode", "relay",
        "codec", "combined", "header-name", "x-routing")).builder().routing()
        .decide(new FakeRequest().header("x-routing", "checkout=v2").build());
    RequestFlags baggage = configure(Map.of("routes", routesFile().toString(), "mode", "relay",
        "codec", "baggage", "baggage-prefix", "ff.")).builder().routing()
        .decide(new FakeRequest().header("baggage", "ff.search=on").build());

    assertThat(combined.flags().variant("checkout")).isEqualTo("v2");
    assertThat(baggage.flags().variant("search")).isEqualTo("on");
  }

  @Test
  void theServiceItselfCountsMisroutes() throws Exception {
    InitParameters.Configured configured = configure(Map.of("routes", routesFile().toString(), "mode", "relay",
        "service-name", "reviews", "service-version", "v1"));

    configured.builder().routing().decide(new FakeRequest().header("x-flag-checkout", "v2").build());
    configured.builder().routing().decide(new FakeRequest().header("x-flag-checkout", "v1").build());

    assertThat(configured.counters().misroutes()).as("only the v2 request belonged to another version").isEqualTo(1);
  }

  @Test
  void anOverrideSecretFileLetsSignedTokensForceVariantsAtTheEdge() throws Exception {
    String secret = "XEOD5Qrx99wUNX4Zm9R8MvPg4gwRIa4l-secret";
    Path secretFile = Files.writeString(dir.resolve("override.secret"), secret + "\n");
    InitParameters.Configured configured = configure(Map.of("routes", routesFile().toString(), "mode", "edge",
        "override-secret-file", secretFile.toString(), "attribute-headers", "plan=x-plan"));
    String token = OverrideTokens.builder(secret).build().mint(Map.of("checkout", "v2"), Duration.ofMinutes(5));

    RequestFlags forced = configured.builder().routing().decide(new FakeRequest()
        .header(FlagRouter.DEFAULT_OVERRIDE_HEADER, token).header("x-flag-search", "on").build());

    assertThat(forced.flags().variant("checkout")).isEqualTo("v2");
    assertThat(forced.flags().variant("search")).as("a bare flag header never forces").isEqualTo("off");
    assertThat(configured.counters().overridesAccepted()).isEqualTo(1);
  }

  @Test
  void problemsAreNamed() throws Exception {
    String routes = routesFile().toString();
    assertProblem(Map.of("mode", "edge"), "init-param 'routes'", "is required");
    assertProblem(Map.of("routes", routes), "init-param 'mode': is required");
    assertProblem(Map.of("routes", routes, "mode", "sideways"), "init-param 'mode': must be edge or relay, was 'sideways'");
    assertProblem(Map.of("routes", routes, "mode", "edge", "rotues", "x"), "unknown init-param [rotues]");
    assertProblem(Map.of("routes", routes, "mode", "relay", "codec", "json"), "init-param 'codec': must be per-flag");
    assertProblem(Map.of("routes", routes, "mode", "relay", "header-name", "x-f"),
        "init-param 'header-name': applies to the combined codec only; set init-param 'codec' to combined");
    assertProblem(Map.of("routes", routes, "mode", "relay", "header-prefix", "bad prefix"), "bad prefix");
    assertProblem(Map.of("routes", routes, "mode", "relay", "targeting-key", "cookie:"), "needs a name");
    assertProblem(Map.of("routes", routes, "mode", "relay", "targeting-key", "session"),
        "init-param 'targeting-key': must be header:<name>");
    assertProblem(Map.of("routes", routes, "mode", "relay", "targeting-key", "class:java.lang.String"),
        "does not implement");
    assertProblem(Map.of("routes", routes, "mode", "relay", "targeting-key", "class:com.example.Missing"),
        "com.example.Missing", "cannot be created");
    assertProblem(Map.of("routes", routes, "mode", "relay", "attribute-headers", "tenant"),
        "init-param 'attribute-headers': must list attribute=header pairs");
    assertProblem(Map.of("routes", routes, "mode", "relay", "transaction-context", "yes"),
        "'transaction-context' must be true or false");
    assertProblem(Map.of("routes", routes, "mode", "relay", "openfeature-domain", "app"), "for mode edge");
    assertProblem(Map.of("routes", routes, "mode", "relay", "override-secret-file", "/s"),
        "init-param 'override-secret-file': override tokens are read at the edge only");
    assertProblem(Map.of("routes", routes, "mode", "relay", "service-name", "reviews"),
        "init-param 'service-version': is needed together with init-param 'service-name'");
    assertProblem(Map.of("routes", routes, "mode", "relay", "guard-flags", "checkout"),
        "init-param 'guard-flags': the rollout guard decides at the edge only; remove it or set init-param 'mode' to edge");
    assertProblem(Map.of("routes", routes, "mode", "edge", "guard-flags", "checkout", "guard-margin", "2"),
        "init-param 'guard-margin': must be a number at least 0 and below 1");
    assertProblem(Map.of("routes", routes, "mode", "edge", "guard-flags", "payments"),
        "init-param 'guard-flags': cannot guard flag 'payments'");
    assertProblem(Map.of("routes", routes, "mode", "relay", "service-name", "reviews", "service-version", "V 9"),
        "init-param 'service-version': must be a lowercase DNS label", "was 'V 9'");
    assertProblem(Map.of("routes", routes, "mode", "edge", "override-secret-file",
        dir.resolve("none.secret").toString()), "init-param 'override-secret-file': cannot read the file");
    assertProblem(Map.of("routes", dir.resolve("missing.yaml").toString(), "mode", "relay"),
        "cannot read flag routes", "missing.yaml");
    Path broken = Files.writeString(dir.resolve("broken.yaml"),
        "routes:\n  - flag: checkout\n    service: reviews\n    default: v3\n    variants: {v1: v1}\n");
    assertProblem(Map.of("routes", broken.toString(), "mode", "relay"), "broken.yaml", "checkout");
  }

  @Test
  void everyRouterSettingHasAnInitParam() throws Exception {
    InitParameters.Configured configured = configure(Map.of("routes", routesFile().toString(), "mode", "relay",
        "max-flags", "1", "cache-enabled", "false", "evaluate-missing", "false", "override-header", "x-force"));

    RequestFlags flags = configured.builder().routing().decide(new FakeRequest().header("x-flag-checkout", "v2")
        .header("x-flag-search", "on").build());

    assertThat(flags.flags().variants()).as("max-flags 1 reads one flag")
        .containsExactly(Map.entry("checkout", "v2"), Map.entry("search", "off"));
    String routes = routesFile().toString();
    assertProblem(Map.of("routes", routes, "mode", "relay", "deadline", "soon"),
        "init-param 'deadline': must be a duration such as 250ms");
    assertProblem(Map.of("routes", routes, "mode", "relay", "cache-size", "0"), "init-param 'cache-size': must be at least 1");
    assertProblem(Map.of("routes", routes, "mode", "relay", "override-header", "x-flag-force"),
        "init-param 'override-header': 'x-flag-force' is a flag header");
    assertProblem(Map.of("routes", routes, "mode", "relay", "override.secret", "inline"),
        "unknown init-param [override.secret]");
  }

  @Test
  void theOverrideAudienceAcceptsTokensForThisEdgeOnly() throws Exception {
    String secret = "XEOD5Qrx99wUNX4Zm9R8MvPg4gwRIa4l-secret";
    Path secretFile = Files.writeString(dir.resolve("override.secret"), secret);
    InitParameters.Configured configured = configure(Map.of("routes", routesFile().toString(), "mode", "edge",
        "override-secret-file", secretFile.toString(), "override-audience", "frontend"));
    OverrideTokens tokens = OverrideTokens.builder(secret).build();

    for (String audience : new String[] {"frontend", "checkout-api"}) {
      configured.builder().routing().decide(new FakeRequest().header(FlagRouter.DEFAULT_OVERRIDE_HEADER,
          tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5), null, audience)).build());
    }

    assertThat(configured.counters().overridesAccepted()).isEqualTo(1);
    assertThat(configured.counters().overridesRejected(OverrideRejection.WRONG_AUDIENCE)).isEqualTo(1);
    assertProblem(Map.of("routes", routesFile().toString(), "mode", "edge", "override-secret-file",
        secretFile.toString(), "override-audience", "Front_End"), "init-param 'override-audience': ", "a service name");
  }

  @Test
  void cacheIgnoredAttributesAreReadAndChecked() throws Exception {
    String routes = routesFile().toString();
    assertThat(configure(Map.of("routes", routes, "mode", "edge", "cache-ignored-attributes", "requestId, traceId"))
        .builder()).isNotNull();
    assertProblem(Map.of("routes", routes, "mode", "edge", "cache-ignored-attributes", "targetingKey"),
        "init-param 'cache-ignored-attributes': the targeting key is always part of the cache key");
    assertProblem(Map.of("routes", routes, "mode", "edge", "attribute-headers", "plan=x-plan",
        "cache-ignored-attributes", "plan"), "init-param 'cache-ignored-attributes': 'plan' is also a cache-key"
        + " attribute (in init-param 'attribute-headers')");
  }

  /**
   * Fails when core gains a setting without an init-param: each is accepted under the name the
   * configuration table of docs/configuration.md gives it, but the inline override secret, which is
   * read from a file only.
   */
  @Test
  void everyCoreSettingIsAnInitParamUnderItsDocumentedName() {
    Map<Setting, String> documented = new EnumMap<>(Setting.class);
    documented.putAll(Map.ofEntries(Map.entry(Setting.MODE, "mode"), Map.entry(Setting.CODEC, "codec"),
        Map.entry(Setting.HEADER_PREFIX, "header-prefix"), Map.entry(Setting.HEADER_NAME, "header-name"),
        Map.entry(Setting.MEMBER_PREFIX, "baggage-prefix"), Map.entry(Setting.MAX_FLAGS, "max-flags"),
        Map.entry(Setting.MAX_VALUE_LENGTH, "max-value-length"), Map.entry(Setting.MAX_HEADER_LENGTH, "max-header-length"),
        Map.entry(Setting.TARGETING_KEY, "targeting-key"), Map.entry(Setting.ATTRIBUTE_HEADERS, "attribute-headers"),
        Map.entry(Setting.CACHE_ENABLED, "cache-enabled"), Map.entry(Setting.CACHE_SIZE, "cache-size"),
        Map.entry(Setting.CACHE_TTL, "cache-ttl"), Map.entry(Setting.CACHE_KEY_ATTRIBUTES, "cache-key-attributes"),
        Map.entry(Setting.CACHE_IGNORED_ATTRIBUTES, "cache-ignored-attributes"), Map.entry(Setting.DEADLINE, "deadline"),
        Map.entry(Setting.EVALUATE_MISSING, "evaluate-missing"),
        Map.entry(Setting.OVERRIDE_SECRET_FILE, "override-secret-file"),
        Map.entry(Setting.OVERRIDE_HEADER, "override-header"), Map.entry(Setting.OVERRIDE_MAX_TTL, "override-max-ttl"),
        Map.entry(Setting.OVERRIDE_AUDIENCE, "override-audience"),
        Map.entry(Setting.OVERRIDE_ACCEPT_UNBOUND, "override-accept-unbound"), Map.entry(Setting.SERVICE_NAME, "service-name"),
        Map.entry(Setting.SERVICE_VERSION, "service-version"), Map.entry(Setting.GUARD_FLAGS, "guard-flags"),
        Map.entry(Setting.GUARD_FAILURE_RATIO, "guard-failure-ratio"),
        Map.entry(Setting.GUARD_MIN_REQUESTS, "guard-min-requests"), Map.entry(Setting.GUARD_MARGIN, "guard-margin"),
        Map.entry(Setting.GUARD_WINDOW, "guard-window"), Map.entry(Setting.GUARD_COOL_DOWN, "guard-cool-down"),
        Map.entry(Setting.GUARD_PROBE_SHARE, "guard-probe-share"),
        Map.entry(Setting.GUARD_PROBE_REQUESTS, "guard-probe-requests"), Map.entry(Setting.SHADOW_HEADER, "shadow-header"),
        Map.entry(Setting.REPORT_FOREIGN_HEADERS, "report-foreign-headers"),
        Map.entry(Setting.VERDICT_FLAGS, "verdicts-flags"), Map.entry(Setting.VERDICT_ALPHA, "verdicts-alpha"),
        Map.entry(Setting.VERDICT_MIN_REQUESTS, "verdicts-min-requests"),
        Map.entry(Setting.VERDICT_ERROR_DIFFERENCE, "verdicts-error-difference"),
        Map.entry(Setting.VERDICT_SLOW_SHARE_DIFFERENCE, "verdicts-slow-share-difference"),
        Map.entry(Setting.VERDICT_SLOW_QUANTILE, "verdicts-slow-quantile"),
        Map.entry(Setting.VERDICT_CALIBRATION_REQUESTS, "verdicts-calibration-requests"),
        Map.entry(Setting.VERDICT_HOLD_BACK_WORSE, "verdicts-hold-back-worse")));

    assertThat(EnumSet.complementOf(EnumSet.copyOf(documented.keySet()))).containsExactly(Setting.OVERRIDE_SECRET);
    assertThat(InitParameters.NAMES).containsAll(documented.values()).doesNotContain("override-secret");
  }

  /** A targeting key source named by class in init parameters. */
  public static final class TenantKeys implements TargetingKeySource {
    @Override
    public String targetingKey(HttpServletRequest request) {
      return "tenant:" + request.getHeader("x-tenant");
    }
  }

  private Path routesFile() throws Exception {
    return Files.writeString(dir.resolve("routes.yaml"), TestFlags.ROUTES_YAML);
  }

  private static InitParameters.Configured configure(Map<String, String> parameters) throws ServletException {
    Map<String, String> ordered = new LinkedHashMap<>(parameters);
    return InitParameters.configure("flags", ordered::get, Collections.enumeration(ordered.keySet()));
  }

  private static void assertProblem(Map<String, String> parameters, String... fragments) {
    assertThatThrownBy(() -> configure(parameters))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("flagroute filter 'flags': ")
        .hasMessageContainingAll(fragments);
  }
}
