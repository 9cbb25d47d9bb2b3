package dev.flagroute.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Real application starts with bad configuration: Boot prints the starter's failure analysis, one
 * paragraph saying what is wrong and one what to do, without a stack trace and without the secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {
  private static final String SECRET = "correct-horse-battery-staple-0123456789";

  @Test
  void routesInBothPlacesSayKeepOne(CapturedOutput output) {
    assertThatThrownBy(() -> start("flagroute.mode=relay", "flagroute.routes-file=classpath:flagroutes.yaml",
        "flagroute.routes[0].flag=checkout", "flagroute.routes[0].service=reviews",
        "flagroute.routes[0].default-variant=v1", "flagroute.routes[0].variants.v1=v1")).isNotNull();

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("flagroute's routes are configured in two places: 1 inline under 'flagroute.routes' and the file"
            + " class path resource [flagroutes.yaml] named by 'flagroute.routes-file'")
        .contains("Keep one: remove 'flagroute.routes'");
    assertThat(reportLines(output)).noneMatch(line -> line.startsWith("\tat "));
  }

  @Test
  void noRoutesAtAllSaysWhereToPutThem(CapturedOutput output) {
    assertThatThrownBy(() -> start("flagroute.mode=edge")).isNotNull();

    assertThat(output).contains("APPLICATION FAILED TO START").contains("flagroute has no routes")
        .contains("Set 'flagroute.routes-file' to a routes file");
    assertThat(reportLines(output)).noneMatch(line -> line.startsWith("\tat "));
  }

  @Test
  void aRoutesFileThatDoesNotParseSaysWhere(CapturedOutput output) {
    assertThatThrownBy(() -> start("flagroute.mode=relay", "flagroute.routes-file=classpath:broken-routes.yaml"))
        .isNotNull();

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("The routes file class path resource [broken-routes.yaml] named by 'flagroute.routes-file' is not"
            + " valid YAML or JSON")
        .contains("line 5").contains("Fix the file where the parser stopped");
    assertThat(reportLines(output)).noneMatch(line -> line.startsWith("\tat "));
  }

  @Test
  void aBadRouteNamesTheProperty(CapturedOutput output) {
    assertThatThrownBy(() -> start("flagroute.mode=relay", "flagroute.routes[0].flag=checkout",
        "flagroute.routes[0].service=reviews", "flagroute.routes[0].default-variant=v3",
        "flagroute.routes[0].variants.v1=v1")).isNotNull();

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("The routes in 'flagroute.routes[0]' are invalid: flag 'checkout': default variant 'v3' is not"
            + " among the variants [v1]");
  }

  @Test
  void aBadOverrideSecretIsNeverPrinted(CapturedOutput output) {
    assertThatThrownBy(() -> start("flagroute.mode=relay", "flagroute.routes-file=classpath:flagroutes.yaml",
        "flagroute.override.secret=" + SECRET)).isNotNull();

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("Property 'flagroute.override.secret': override tokens are read at the edge only")
        .contains("environment variable FLAGROUTE_OVERRIDE_SECRET")
        .contains("The value is not shown because it is a secret")
        .doesNotContain(SECRET).doesNotContain(SECRET.substring(0, 8));
  }

  @Test
  void aMissingModeSaysWhatToSet(CapturedOutput output) {
    assertThatThrownBy(() -> start("flagroute.routes-file=classpath:flagroutes.yaml")).isNotNull();

    assertThat(output).contains("APPLICATION FAILED TO START").contains("'flagroute.mode'")
        .contains("edge where outside traffic arrives");
  }

  /** The lines of the failure report, from its banner on. */
  private static java.util.List<String> reportLines(CapturedOutput output) {
    String all = output.getAll();
    return all.substring(all.indexOf("APPLICATION FAILED TO START")).lines().toList();
  }

  private static void start(String... properties) {
    new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run().close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
