package dev.flagroute.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The {@code flagroute} endpoint exposed over HTTP without its access made unrestricted: it can be
 * read, but its write operation is not there, so no one can act on the guard.
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
        "management.endpoints.web.exposure.include=flagroute"})
class GuardOperatorEndpointDefaultsTest {
  @LocalServerPort
  int port;

  @Test
  void writesAreNotAllowedUnlessConfigured() {
    RestClient client = RestClient.create("http://127.0.0.1:" + port);

    int write = client.post().uri("/actuator/flagroute").contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("flag", "checkout", "variant", "v2", "action", "force-off")).retrieve()
        .onStatus(status -> true, (request, response) -> { }).toBodilessEntity().getStatusCode().value();

    assertThat(write).isBetween(400, 499);
    assertThat(client.get().uri("/actuator/flagroute").retrieve().body(String.class)).contains("\"state\":\"CLOSED\"");
    assertThat(client.get().uri("/variant").header("x-user-id", "beta-1").retrieve().body(String.class)).isEqualTo("v2");
  }
}
