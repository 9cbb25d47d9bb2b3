package dev.flagroute.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.testing.FlagRoutingExtension;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstart block, compiled from README.md and run for real: a relay receives a
 * request stamped {@code x-flag-checkout: v2} and its outbound call carries the same header.
 * The extension fails the test if the snippet leaves a flag scope open.
 */
@ExtendWith(FlagRoutingExtension.class)
class QuickstartTest {
  @StartStop final MockWebServer reviews = new MockWebServer();

  @Test
  void theQuickstartRelaysTheStampedVariantToTheNextHop(@TempDir Path classes) throws Exception {
    JavaBlock quickstart = ReadmeSnippetsTest.readmeBlocks().stream()
        .filter(block -> block.heading().equals("Quickstart")).findFirst()
        .orElseThrow(() -> new AssertionError("README.md has no ```java block under '## Quickstart'"));
    SnippetUnit unit = SnippetUnit.of(quickstart);
    assertThat(TestClassPath.compiler().compile(List.of(unit), classes)).isEmpty();
    reviews.enqueue(new MockResponse.Builder().code(200).build());
    Map<String, String> inboundHeaders = Map.of("x-flag-checkout", "v2"); // as the upstream hop sent them
    HttpUrl reviewsUrl = reviews.url("/reviews/42");

    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        QuickstartTest.class.getClassLoader())) {
      Method run = loader.loadClass(unit.wrapperClassName()).getMethod(SnippetUnit.METHOD, Map.class, HttpUrl.class);
      run.invoke(null, inboundHeaders, reviewsUrl);
    }

    RecordedRequest received = reviews.takeRequest(60, TimeUnit.SECONDS);
    assertThat(received).as("the request the quickstart sent to reviews").isNotNull();
    assertThat(received.getHeaders().values("x-flag-checkout")).containsExactly("v2");
  }
}
