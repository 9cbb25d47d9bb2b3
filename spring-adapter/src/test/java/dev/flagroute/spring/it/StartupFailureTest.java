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

/** A real application start with a bad property: Boot's failure analysis names it in one message. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {
  @Test
  void aBadRouteFailsStartupNamingTheProperty(CapturedOutput output) {
    assertThatThrownBy(() -> start("flagroute.mode=relay", "flagroute.routes[0].flag=checkout",
        "flagroute.routes[0].service=reviews", "flagroute.routes[0].default-variant=v3",
        "flagroute.routes[0].variants.v1=v1")).isNotNull();

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("Invalid value 'checkout' for configuration property 'flagroute.routes[0]'")
        .contains("flag 'checkout': default variant 'v3' is not among the variants [v1]");
  }

  @Test
  void aMissingModeFailsStartupSayingWhatToSet(CapturedOutput output) {
    assertThatThrownBy(() -> start("flagroute.routes-file=classpath:flagroutes.yaml")).isNotNull();

    assertThat(output).contains("APPLICATION FAILED TO START").contains("'flagroute.mode'")
        .contains("edge where outside traffic arrives");
  }

  private static void start(String... properties) {
    new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run().close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
