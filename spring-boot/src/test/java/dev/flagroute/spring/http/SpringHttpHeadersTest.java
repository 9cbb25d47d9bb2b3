package dev.flagroute.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.spring.TestRoutes;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class SpringHttpHeadersTest {
  @Test
  void stampingReplacesFlagHeadersSetByHandAndKeepsOthers() {
    HttpHeaders headers = new HttpHeaders();
    headers.add("X-Flag-Checkout", "v1");
    headers.add("x-flag-stale", "on");
    headers.add("accept", "text/plain");

    SpringHttpHeaders.stamp(TestRoutes.checkout("v2"), headers, HeaderCodec.perFlag());

    assertThat(headers.get("x-flag-checkout")).containsExactly("v2");
    assertThat(headers.containsHeader("x-flag-stale")).isFalse();
    assertThat(headers.get("accept")).containsExactly("text/plain");
  }

  @Test
  void baggageKeepsMembersOfOtherOwners() {
    HttpHeaders headers = new HttpHeaders();
    headers.add("baggage", "tenant=acme,flag.checkout=v1");

    SpringHttpHeaders.stamp(TestRoutes.checkout("v2"), headers, HeaderCodec.baggage());

    assertThat(headers.get("baggage")).singleElement().asString()
        .contains("tenant=acme").contains("flag.checkout=v2").doesNotContain("flag.checkout=v1");
  }

  @Test
  void anEmptyContextLeavesTheHeadersAlone() {
    HttpHeaders headers = new HttpHeaders();
    headers.add("x-flag-checkout", "v1");

    SpringHttpHeaders.stamp(FlagContext.empty(), headers, HeaderCodec.perFlag());

    assertThat(headers.get("x-flag-checkout")).containsExactly("v1");
  }

  /** Override tokens are bearer tokens: stamping strips them in a context or not (RestClient, RestTemplate). */
  @Test
  void stampingStripsOverrideTokensInOrOutsideAContext() {
    HeaderCodec codec = FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.RELAY).overrideHeader("x-tester-token")
        .build().codec();
    for (FlagContext context : new FlagContext[] {TestRoutes.checkout("v2"), FlagContext.empty()}) {
      HttpHeaders headers = new HttpHeaders();
      headers.add("X-Flagroute-Override", "fr2:1:checkout=v2:::sig");
      headers.add("x-tester-token", "fr2:1:checkout=v2:::sig");
      headers.add("accept", "text/plain");

      SpringHttpHeaders.stamp(context, headers, codec);

      assertThat(headers.containsHeader("x-flagroute-override")).as("%s", context).isFalse();
      assertThat(headers.containsHeader("x-tester-token")).isFalse();
      assertThat(headers.get("accept")).containsExactly("text/plain");
    }
  }

  @Test
  void theGetterJoinsRepeatedHeadersAndListsNames() {
    HttpHeaders headers = new HttpHeaders();
    headers.add("X-Flags", "checkout=v2");
    headers.add("x-flags", "search=on");

    assertThat(SpringHttpHeaders.getter().get(headers, "x-flags")).isEqualTo("checkout=v2,search=on");
    assertThat(SpringHttpHeaders.getter().get(headers, "x-missing")).isNull();
    assertThat(SpringHttpHeaders.getter().names(headers)).hasSize(1);
  }
}
