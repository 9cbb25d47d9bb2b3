package dev.flagroute.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.micrometer.VariantHealthMetrics;
import dev.flagroute.spring.TestFlags;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * An operator acts on the rollout guard through the {@code flagroute} actuator endpoint of a
 * Spring MVC application on a random port, where the endpoint is exposed and its access made
 * unrestricted: the kill switch holds a variant off for every user, a bad request is refused, and
 * each action is counted in the metrics. {@link GuardOperatorEndpointDefaultsTest} shows that
 * exposing the endpoint alone does not allow writes.
 */
@SpringBootTest(classes = GuardOperatorEndpointTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "spring.main.web-application-type=servlet",
        "flagroute.mode=edge",
        "flagroute.routes-file=classpath:flagroutes.yaml",
        "flagroute.targeting-key.source=header",
        "flagroute.targeting-key.name=x-user-id",
        "flagroute.guard.flags=checkout",
        "management.endpoints.web.exposure.include=flagroute",
        "management.endpoint.flagroute.access=unrestricted"})
class GuardOperatorEndpointTest {
  static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

  @LocalServerPort
  int port;

  @Autowired
  MeterRegistry meters;

  RestClient client;

  @BeforeEach
  void setUp() {
    client = RestClient.create("http://127.0.0.1:" + port);
  }

  @Test
  void anOperatorForcesAVariantOffAndBackOn() {
    assertThat(variant("beta-1")).isEqualTo("v2");

    Map<String, Object> off = act("checkout", "v2", "force-off").getBody();

    assertThat(off).containsEntry("state", "FORCED_OFF").containsEntry("variant", "v2");
    for (int i = 0; i < 20; i++) {
      assertThat(variant("beta-" + i)).isEqualTo("v1");
    }
    assertThat(meters.get(VariantHealthMetrics.GUARD_TRANSITIONS)
        .tags("flag", "checkout", "variant", "v2", "state", "forced_off", "cause", "operator").counter().count())
        .isEqualTo(1);
    assertThat(meters.get(VariantHealthMetrics.GUARD_STATE).tags("flag", "checkout", "variant", "v2").gauge().value())
        .isEqualTo(3);

    assertThat(act("checkout", "v2", "force-on").getBody()).containsEntry("state", "CLOSED");
    assertThat(variant("beta-1")).isEqualTo("v2");
    assertThat(act("checkout", "v2", "reset").getBody()).containsEntry("state", "CLOSED");
  }

  @Test
  void badActionsAreRefusedWithABadRequest() {
    assertThat(act("checkout", "v2", "explode").getStatusCode().value()).isEqualTo(400);
    assertThat(act("checkout", "v1", "force-off").getStatusCode().value()).as("the default variant").isEqualTo(400);
    assertThat(act("payments", "v2", "force-off").getStatusCode().value()).isEqualTo(400);
    assertThat(variant("beta-1")).isEqualTo("v2");
  }

  private ResponseEntity<Map<String, Object>> act(String flag, String variant, String action) {
    return client.post().uri("/actuator/flagroute").contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("flag", flag, "variant", variant, "action", action)).retrieve()
        .onStatus(status -> true, (request, response) -> { })
        .toEntity(JSON);
  }

  private String variant(String user) {
    return client.get().uri("/variant").header("x-user-id", user).retrieve().body(String.class);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Variant.class)
  static class App {
    @Bean
    OpenFeatureAPI openFeatureApi() {
      return TestFlags.api();
    }
  }

  /** The request's checkout variant. */
  @RestController
  static class Variant {
    @GetMapping("/variant")
    String variant() {
      return FlagContext.current().variant("checkout");
    }
  }
}
