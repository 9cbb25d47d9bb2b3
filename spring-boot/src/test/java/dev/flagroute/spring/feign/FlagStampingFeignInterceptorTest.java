package dev.flagroute.spring.feign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagScope;
import dev.flagroute.spring.TestRoutes;
import feign.RequestTemplate;
import org.junit.jupiter.api.Test;

/** Feign requests are stamped like every other client's: hand-set flag headers replaced, other baggage kept. */
class FlagStampingFeignInterceptorTest {
  @Test
  void stampsTheCurrentFlagsReplacingHandSetOnes() {
    RequestTemplate template = new RequestTemplate().target("http://reviews").header("x-flag-checkout", "v9").header("accept", "text/plain");

    try (FlagScope ignored = TestRoutes.checkout("v2").makeCurrent()) {
      new FlagStampingFeignInterceptor(HeaderCodec.perFlag()).apply(template);
    }

    assertThat(template.headers().get("x-flag-checkout")).containsExactly("v2");
    assertThat(template.headers().get("accept")).containsExactly("text/plain");
  }

  @Test
  void mergesIntoTheOneBaggageHeaderKeepingOtherMembers() {
    RequestTemplate template = new RequestTemplate().target("http://reviews").headerLiteral("baggage", "tenant=acme,flag.checkout=v9");

    try (FlagScope ignored = TestRoutes.checkout("v2").makeCurrent()) {
      new FlagStampingFeignInterceptor(HeaderCodec.baggage()).apply(template);
    }

    assertThat(template.headers().get("baggage")).singleElement().asString()
        .contains("tenant=acme").contains("flag.checkout=v2").doesNotContain("v9");
  }

  @Test
  void requestsOutsideAContextPassUntouched() {
    RequestTemplate template = new RequestTemplate().target("http://reviews").header("x-flag-checkout", "v9");

    new FlagStampingFeignInterceptor(HeaderCodec.perFlag()).apply(template);

    assertThat(template.headers().get("x-flag-checkout")).containsExactly("v9");
  }
}
