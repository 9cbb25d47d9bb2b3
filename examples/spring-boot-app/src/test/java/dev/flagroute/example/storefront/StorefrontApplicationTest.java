package dev.flagroute.example.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The storefront on a random port with its real configuration ({@code application.yaml}); a real
 * HTTP server stands in for the reviews service and answers with the flag header it received.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorefrontApplicationTest {
  private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};
  private static final MockWebServer REVIEWS = new MockWebServer();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void reviewsService(DynamicPropertyRegistry registry) throws IOException {
    REVIEWS.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String stamped = request.getHeaders().get("x-flag-new-reviews");
        return new MockResponse.Builder().code(200).body("reviews saw x-flag-new-reviews=" + stamped).build();
      }
    });
    REVIEWS.start();
    registry.add("storefront.reviews-url", () -> REVIEWS.url("/").toString());
  }

  @AfterAll
  static void stopReviews() {
    REVIEWS.close();
  }

  @Test
  void aBetaTesterGetsTheRedesignAndTheRestClientCallCarriesIt() throws InterruptedException {
    Map<String, Object> page = product("alice", Map.of());

    assertThat(page).containsEntry("flags", Map.of("new-reviews", "redesign"))
        .containsEntry("reviews", "reviews saw x-flag-new-reviews=redesign");
    RecordedRequest call = REVIEWS.takeRequest(60, TimeUnit.SECONDS);
    assertThat(call).isNotNull();
    assertThat(call.getTarget()).isEqualTo("/reviews");
  }

  @Test
  void everyoneElseGetsTheStableVersion() {
    assertThat(product("bob", Map.of())).containsEntry("flags", Map.of("new-reviews", "stable"))
        .containsEntry("reviews", "reviews saw x-flag-new-reviews=stable");
    assertThat(product(null, Map.of())).containsEntry("flags", Map.of("new-reviews", "stable"))
        .containsEntry("reviews", "reviews saw x-flag-new-reviews=stable");
  }

  @Test
  void aSpoofedFlagHeaderIsDroppedAtTheEdge() {
    Map<String, Object> page = product("bob", Map.of("x-flag-new-reviews", "redesign"));

    assertThat(page).containsEntry("flags", Map.of("new-reviews", "stable"))
        .containsEntry("reviews", "reviews saw x-flag-new-reviews=stable");
  }

  private Map<String, Object> product(String user, Map<String, String> headers) {
    return RestClient.create("http://127.0.0.1:" + port).get().uri("/product")
        .headers(h -> {
          if (user != null) {
            h.set("x-user-id", user);
          }
          headers.forEach(h::set);
        })
        .retrieve().body(JSON);
  }
}
