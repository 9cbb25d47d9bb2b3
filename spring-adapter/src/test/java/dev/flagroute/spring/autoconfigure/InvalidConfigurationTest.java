package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Each bad setting fails start-up with an exception that names the property and the problem. */
class InvalidConfigurationTest {
  final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class, FlagRouteServletAutoConfiguration.class));

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "checkout; flagroute.header.codec=per-flag               | flagroute.mode                | is required: edge where outside traffic arrives",
      "checkout; flagroute.mode=edge; flagroute.routes[0].default-variant=v3 | flagroute.routes[0] | default variant 'v3' is not among the variants",
      "checkout; flagroute.mode=edge; flagroute.routes[0].service=Reviews_Svc | flagroute.routes[0] | must be a lowercase DNS name",
      "checkout; flagroute.mode=edge; flagroute.routes[1].flag=checkout | flagroute.routes[1]  | has no service",
      "flagroute.mode=edge; flagroute.routes-file=classpath:missing.yaml | flagroute.routes-file | does not exist",
      "checkout; flagroute.mode=edge; flagroute.header.prefix=x flag | flagroute.header.prefix | must be a non-empty HTTP token",
      "checkout; flagroute.mode=edge; flagroute.header.name=x-cohorts | flagroute.header.name | applies to the combined codec only",
      "checkout; flagroute.mode=edge; flagroute.limits.max-flags=0 | flagroute.limits.max-flags | must be at least 1",
      "checkout; flagroute.mode=edge; flagroute.targeting-key.source=header | flagroute.targeting-key.name | needs the header or cookie name",
      "checkout; flagroute.mode=edge; flagroute.cache.size=0            | flagroute.cache.size         | must be at least 1",
      "checkout; flagroute.mode=edge; flagroute.cache.ttl=0s            | flagroute.cache.ttl          | must be positive",
      "checkout; flagroute.mode=edge; flagroute.deadline=-5ms           | flagroute.deadline           | must be positive",
      "checkout; flagroute.mode=edge; flagroute.override.secret=too-short-secret | flagroute.override.secret | at least 32",
      "checkout; flagroute.mode=relay; flagroute.override.secret=0123456789abcdef0123456789abcdef | flagroute.override.secret | read at the edge only",
      "checkout; flagroute.mode=edge; flagroute.override.header=x-flag-override | flagroute.override.header | is a flag header",
      "checkout; flagroute.mode=relay; flagroute.service.name=reviews   | flagroute.service.version    | is needed together with flagroute.service.name",
      "checkout; flagroute.mode=relay; flagroute.service.name=reviews; flagroute.service.version=V_1 | flagroute.service.version | lowercase DNS label"})
  void failsStartupNamingTheProperty(String settings, String property, String reason) {
    runner.withPropertyValues(properties(settings)).run(context -> {
      assertThat(context).hasFailed();
      Throwable cause = rootCause(context.getStartupFailure());
      assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
      InvalidConfigurationPropertyValueException invalid = (InvalidConfigurationPropertyValueException) cause;
      assertThat(invalid.getName()).isEqualTo(property);
      assertThat(invalid.getReason()).contains(reason);
      Stream.of(properties(settings)).filter(p -> p.startsWith("flagroute.override.secret="))
          .map(p -> p.substring(p.indexOf('=') + 1))
          .forEach(secret -> assertThat(String.valueOf(invalid.getValue()) + invalid.getReason()).doesNotContain(secret));
    });
  }

  /** The settings, separated by ';', with {@code checkout} standing for the inline checkout route. */
  private static String[] properties(String settings) {
    return Arrays.stream(settings.split(";")).map(String::strip)
        .flatMap(s -> s.equals("checkout") ? Arrays.stream(FlagRouteAutoConfigurationTest.CHECKOUT)
            : Stream.of(s))
        .toArray(String[]::new);
  }

  @Test
  void inlineRoutesAndARoutesFileExcludeEachOther() {
    runner.withPropertyValues(properties("checkout; flagroute.mode=relay; flagroute.routes-file=classpath:flagroutes.yaml"))
        .run(context -> assertThat(rootCause(context.getStartupFailure()))
            .isInstanceOf(MutuallyExclusiveConfigurationPropertiesException.class)
            .hasMessageContaining("flagroute.routes").hasMessageContaining("flagroute.routes-file"));
  }

  @Test
  void anUnknownModeFailsBindingNamingTheProperty() {
    runner.withPropertyValues(properties("checkout; flagroute.mode=sideways"))
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("sideways").hasMessageContaining("Mode"));
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
