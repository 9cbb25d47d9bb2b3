package dev.flagroute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.http.FlagStampingInterceptor;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.testing.FlagRoutingExtension;
import dev.flagroute.testing.StampedFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's quickstart, run for real; the README must show exactly the code between the markers. */
@ExtendWith(FlagRoutingExtension.class)
class QuickstartTest {
  private static final Path SOURCE = Path.of("src/test/java/dev/flagroute/QuickstartTest.java");
  private static final Path README = Path.of("../README.md");

  @StartStop final MockWebServer reviews = new MockWebServer();

  @Test
  void relaysTheStampedVariantToTheNextHop() throws IOException, InterruptedException {
    reviews.enqueue(new MockResponse.Builder().code(200).build());
    Map<String, String> inboundHeaders = Map.of("x-flag-checkout", "v2"); // as the upstream hop sent them
    HttpUrl reviewsUrl = reviews.url("/reviews/42");

    // quickstart:begin
    // Once per service: the flags it routes on (or FlagRoutesFile.load(Path.of("flag-routes.yaml"))),
    // a router, and an HTTP client that stamps the current flags on every call.
    FlagRoutes routes = FlagRoutes.of(FlagRoute.builder("checkout")
        .service("reviews")
        .variant("v1", "v1")
        .variant("v2", "v2")
        .defaultVariant("v1")
        .build());
    FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.RELAY).build();
    OkHttpClient http = new OkHttpClient.Builder()
        .addInterceptor(new FlagStampingInterceptor(router.codec()))
        .build();

    // Per inbound request: keep the variants upstream decided, make them current, call on.
    FlagContext flags = router.route(inboundHeaders, HeaderGetter.forMap());
    try (FlagScope scope = flags.makeCurrent()) {
      // carries x-flag-checkout: v2, so the mesh sends it to reviews v2
      http.newCall(new Request.Builder().url(reviewsUrl).build()).execute().close();
    }
    // quickstart:end

    RecordedRequest received = reviews.takeRequest(30, TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    StampedFlags.ofMultimap(received.getHeaders().toMultimap(), routes).assertVariants(Map.of("checkout", "v2"));
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Test
  void theReadmeShowsThisQuickstart() throws IOException {
    List<String> quickstart = between(Files.readAllLines(SOURCE), "// quickstart:begin", "// quickstart:end");
    assertThat(quickstart).as("quickstart region in %s", SOURCE).isNotEmpty();
    assertThat(Files.exists(README)).as("%s exists", README.toAbsolutePath().normalize()).isTrue();

    List<String> readme = javaBlockUnder(Files.readAllLines(README), "## Quickstart");

    assertThat(readme).as("the ```java block under '## Quickstart' in README.md must equal the code between the"
        + " quickstart markers in %s (indentation ignored)", SOURCE).isEqualTo(quickstart);
  }

  /** The stripped lines strictly between the two markers. */
  private static List<String> between(List<String> lines, String begin, String end) {
    List<String> region = new ArrayList<>();
    boolean inside = false;
    for (String line : lines) {
      if (line.strip().equals(end)) {
        break;
      }
      if (inside) {
        region.add(line.strip());
      }
      inside |= line.strip().equals(begin);
    }
    return trimBlankEnds(region);
  }

  /** The stripped lines of the first {@code ```java} block after {@code heading}, before the next heading. */
  private static List<String> javaBlockUnder(List<String> lines, String heading) {
    int start = lines.indexOf(heading);
    assertThat(start).as("README.md has a line '%s'", heading).isNotNegative();
    List<String> block = new ArrayList<>();
    boolean inside = false;
    for (String line : lines.subList(start + 1, lines.size())) {
      if (!inside && line.startsWith("## ")) {
        break;
      }
      if (inside && line.strip().equals("```")) {
        return trimBlankEnds(block);
      }
      if (inside) {
        block.add(line.strip());
      }
      inside |= line.strip().equals("```java");
    }
    throw new AssertionError("README.md has no complete ```java block under '" + heading + "'");
  }

  private static List<String> trimBlankEnds(List<String> lines) {
    int from = 0;
    int to = lines.size();
    while (from < to && lines.get(from).isEmpty()) {
      from++;
    }
    while (to > from && lines.get(to - 1).isEmpty()) {
      to--;
    }
    return lines.subList(from, to);
  }
}
