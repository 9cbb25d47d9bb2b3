package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.override.OverrideTokens;
import dev.flagroute.spring.TestFlags;
import dev.flagroute.spring.diagnostics.FlagRouteConfigurationException;
import dev.flagroute.spring.diagnostics.FlagRouteFailureAnalyzer;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.mock.env.MockEnvironment;

/**
 * Every configuration error the starter raises fails start-up with the starter's own failure
 * analysis: it names the property, says what to do, and never shows the override secret, nor its
 * prefix or length. The analysis is found the way Boot finds it, through every {@link FailureAnalyzer}
 * registered in {@code META-INF/spring.factories}, so one of Boot's (which prints values from the
 * environment) answering first would fail these tests.
 */
class FailureAnalysisTest {
  private static final String SECRET = "s3cr3t-0123456789-abcdefghijklmnopqrstuvwxyz";
  private static final String[] CHECKOUT = FlagRouteAutoConfigurationTest.CHECKOUT;

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class, FlagRouteServletAutoConfiguration.class))
      .withBean(OpenFeatureAPI.class, TestFlags::api);

  /** One error path: its settings ({@code checkout} stands for the inline route), the property it names, a reason. */
  record ErrorPath(String settings, String property, String reason) {
    @Override
    public String toString() {
      return property + " <- " + settings;
    }
  }

  static Stream<ErrorPath> everyErrorPath() {
    return Stream.of(
        new ErrorPath("checkout; flagroute.header.codec=per-flag", "flagroute.mode", "is required: edge where outside"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.routes[0].default-variant=v3", "flagroute.routes[0]",
            "default variant 'v3' is not among the variants"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.routes[0].service=Reviews_Svc", "flagroute.routes[0]",
            "lowercase DNS name"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.routes[1].flag=search", "flagroute.routes[1]",
            "has no service"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.routes[1].flag=checkout; flagroute.routes[1].service=reviews;"
            + " flagroute.routes[1].default-variant=v1; flagroute.routes[1].variants.v1=v1", "flagroute.routes",
            "declared twice"),
        new ErrorPath("flagroute.mode=edge", "flagroute.routes-file", "flagroute has no routes"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.routes-file=classpath:flagroutes.yaml", "flagroute.routes",
            "configured in two places"),
        new ErrorPath("flagroute.mode=edge; flagroute.routes-file=classpath:missing.yaml", "flagroute.routes-file",
            "does not exist"),
        new ErrorPath("flagroute.mode=edge; flagroute.routes-file=classpath:broken-routes.yaml", "flagroute.routes-file",
            "is not valid YAML or JSON"),
        new ErrorPath("flagroute.mode=edge; flagroute.routes-file=classpath:invalid-routes.yaml", "flagroute.routes-file",
            "unknown field 'owner'"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.header.prefix=x flag", "flagroute.header.prefix",
            "must be a non-empty HTTP token"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.header.name=x-cohorts", "flagroute.header.name",
            "applies to the combined codec only"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.limits.max-flags=0", "flagroute.limits.max-flags",
            "must be at least 1"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.targeting-key.source=header",
            "flagroute.targeting-key.name", "the header or cookie name"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.attribute-headers.tenant= ", "flagroute.attribute-headers",
            "attribute=header pairs"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.cache.size=0", "flagroute.cache.size", "at least 1"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.cache.ttl=0s", "flagroute.cache.ttl", "must be positive"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.deadline=-5ms", "flagroute.deadline", "must be positive"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.cache.ignored-attributes=requestId,targetingKey",
            "flagroute.cache.ignored-attributes", "the targeting key is always part of the cache key"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.attribute-headers.plan=x-plan;"
            + " flagroute.cache.ignored-attributes=plan", "flagroute.cache.ignored-attributes",
            "'plan' is also a cache-key attribute (in flagroute.attribute-headers)"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.override.secret=" + SECRET
            + "; flagroute.override.audience=Front_End", "flagroute.override.audience", "a service name"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.override.audience=frontend",
            "flagroute.override.audience", "has no effect without flagroute.override.secret"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.override.secret=too-short", "flagroute.override.secret",
            "at least 32"),
        new ErrorPath("checkout; flagroute.mode=relay; flagroute.override.secret=" + SECRET, "flagroute.override.secret",
            "read at the edge only"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.override.secret=" + SECRET
            + "; flagroute.override.secret-file=/etc/missing", "flagroute.override.secret-file", "cannot be set together"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.override.secret-file=/nonexistent/secret",
            "flagroute.override.secret-file", "cannot read the file"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.override.secret=" + SECRET
            + "; flagroute.override.header=x-flag-override", "flagroute.override.header", "is a flag header"),
        new ErrorPath("checkout; flagroute.mode=edge; flagroute.override.secret=" + SECRET
            + "; flagroute.override.max-ttl=0s", "flagroute.override.max-ttl", "must be positive"),
        new ErrorPath("checkout; flagroute.mode=relay; flagroute.service.name=reviews", "flagroute.service.version",
            "is needed together with flagroute.service.name"),
        new ErrorPath("checkout; flagroute.mode=relay; flagroute.service.name=reviews; flagroute.service.version=V_1",
            "flagroute.service.version", "lowercase DNS label"));
  }

  @ParameterizedTest
  @MethodSource("everyErrorPath")
  void eachErrorIsOneAnalysisNamingThePropertyAndWhatToDo(ErrorPath path) {
    String[] properties = properties(path.settings());
    runner.withPropertyValues(properties).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      FailureAnalysis analysis = analyze(failure, properties);
      assertThat(analysis.getCause()).isInstanceOf(FlagRouteConfigurationException.class);
      assertThat(((FlagRouteConfigurationException) analysis.getCause()).property()).isEqualTo(path.property());
      assertThat(analysis.getDescription()).contains("'" + path.property() + "'").contains(path.reason());
      assertThat(analysis.getAction()).isNotBlank();
      assertThat(everything(failure, analysis)).doesNotContain(SECRET).doesNotContain(SECRET.substring(0, 6));
    });
  }

  /**
   * For any two secrets, of any length, every error path with a secret set reports exactly the same
   * text: nothing of the secret (its value, a prefix, its length) can be in it.
   */
  @Property(tries = 15)
  void theReportIsTheSameWhateverTheSecret(@ForAll("longSecrets") String first, @ForAll("longSecrets") String second,
      @ForAll("shortSecrets") String shortFirst, @ForAll("shortSecrets") String shortSecond,
      @ForAll @IntRange(max = 5) int path) {
    String[] withSecret = {
        "checkout; flagroute.mode=relay; flagroute.override.secret=%s",
        "checkout; flagroute.mode=edge; flagroute.header.codec=sideways; flagroute.override.secret=%s",
        "checkout; flagroute.mode=edge; flagroute.override.secret=%s; flagroute.override.secret-file=/etc/x",
        "flagroute.mode=edge; flagroute.override.secret=%s",
        "checkout; flagroute.mode=edge; flagroute.override.secret=%s; flagroute.override.header=x-flag-x",
        "checkout; flagroute.mode=edge; flagroute.override.secret=%s"};
    boolean tooShort = path == withSecret.length - 1;
    String a = report(withSecret[path].formatted(tooShort ? shortFirst : first));
    String b = report(withSecret[path].formatted(tooShort ? shortSecond : second));
    assertThat(a).isEqualTo(b).doesNotContain(tooShort ? shortFirst : first);
  }

  /** Long enough and random enough: a pattern is refused with a message of its own, which says so. */
  @Provide
  Arbitrary<String> longSecrets() {
    return secrets(32, 90).filter(FailureAnalysisTest::usable);
  }

  private static boolean usable(String secret) {
    try {
      OverrideTokens.builder(secret).build();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Provide
  Arbitrary<String> shortSecrets() {
    return secrets(8, 31);
  }

  private static Arbitrary<String> secrets(int min, int max) {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
        .withChars('+', '/', '_', '-', '.', '!', '#', '%', '&', '*').ofMinLength(min).ofMaxLength(max);
  }

  /** The failure analysis and every exception message of a start with {@code settings}. */
  private String report(String settings) {
    String[] properties = properties(settings);
    List<String> report = new ArrayList<>();
    runner.withPropertyValues(properties).run(context -> {
      Throwable failure = context.getStartupFailure();
      report.add(everything(failure, analyze(failure, properties)));
    });
    return report.get(0);
  }

  /** The analysis Boot reports: the first of every registered analyzer that answers. */
  static FailureAnalysis analyze(Throwable failure, String... properties) {
    MockEnvironment environment = new MockEnvironment();
    TestPropertyValues.of(properties).applyTo(environment);
    ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
        .and(Environment.class, environment);
    List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(
        FailureAnalysisTest.class.getClassLoader()).load(FailureAnalyzer.class, arguments,
        // as Boot does: an analyzer whose classes are missing (jakarta.validation here) is left out
        SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> { }));
    assertThat(analyzers).hasAtLeastOneElementOfType(FlagRouteFailureAnalyzer.class);
    for (FailureAnalyzer analyzer : analyzers) {
      FailureAnalysis analysis = analyzer.analyze(failure);
      if (analysis != null) {
        return analysis;
      }
    }
    throw new AssertionError("no failure analysis for " + failure);
  }

  private static String everything(Throwable failure, FailureAnalysis analysis) {
    StringBuilder text = new StringBuilder(analysis.getDescription()).append('\n').append(analysis.getAction());
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      text.append('\n').append(cause);
    }
    return text.toString();
  }

  /** The settings, separated by ';', with {@code checkout} standing for the inline checkout route. */
  static String[] properties(String settings) {
    return Arrays.stream(settings.split(";")).map(String::strip)
        .flatMap(s -> s.equals("checkout") ? Arrays.stream(CHECKOUT) : Stream.of(s))
        .toArray(String[]::new);
  }
}
