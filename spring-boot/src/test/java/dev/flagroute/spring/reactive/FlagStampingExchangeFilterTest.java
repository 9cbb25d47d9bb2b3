package dev.flagroute.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagScope;
import dev.flagroute.spring.TestRoutes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Which flags a WebClient request carries, without Reactor's automatic context propagation. */
class FlagStampingExchangeFilterTest {
  final AtomicReference<ClientRequest> sent = new AtomicReference<>();
  final WebClient client = new FlagStampingExchangeFilter(HeaderCodec.perFlag()).applyTo(WebClient.builder()
      .exchangeFunction(request -> {
        sent.set(request);
        return Mono.just(ClientResponse.create(HttpStatus.OK).build());
      })).build();

  @Test
  void flagsInTheReactorContextWin() {
    Mono<ClientResponse> call;
    try (FlagScope ignored = TestRoutes.checkout("v1").makeCurrent()) {
      call = client.get().uri("http://localhost/x").exchangeToMono(Mono::just);
    }
    call.contextWrite(FlagReactorContext.with(TestRoutes.checkout("v2"))).block(Duration.ofSeconds(60));

    assertThat(sent.get().headers().get("x-flag-checkout")).containsExactly("v2");
  }

  @Test
  void flagsCurrentWhenTheRequestIsBuiltFollowItToAnotherThread() {
    Mono<ClientResponse> call;
    try (FlagScope ignored = TestRoutes.checkout("v2").makeCurrent()) {
      call = client.get().uri("http://localhost/x").header("x-flag-checkout", "v1").exchangeToMono(Mono::just);
    }
    call.subscribeOn(Schedulers.boundedElastic()).block(Duration.ofSeconds(60));

    assertThat(sent.get().headers().get("x-flag-checkout")).containsExactly("v2");
  }

  @Test
  void flagsCurrentWhenTheRequestIsSentAreUsedLast() {
    Mono<ClientResponse> call = client.get().uri("http://localhost/x").exchangeToMono(Mono::just);
    try (FlagScope ignored = TestRoutes.checkout("v2").makeCurrent()) {
      call.block(Duration.ofSeconds(60));
    }

    assertThat(sent.get().headers().get("x-flag-checkout")).containsExactly("v2");
  }

  @Test
  void requestsWithoutFlagsPassUntouched() {
    client.get().uri("http://localhost/x").header("x-flag-checkout", "v1").exchangeToMono(Mono::just)
        .block(Duration.ofSeconds(60));

    assertThat(sent.get().headers().get("x-flag-checkout")).containsExactly("v1");
  }

  /** Override tokens are bearer tokens: a WebClient request never carries one, with flags or without. */
  @Test
  void overrideTokensAreStrippedWithFlagsOrWithout() {
    client.get().uri("http://localhost/x").header("x-flagroute-override", "fr2:1:checkout=v2:::sig")
        .exchangeToMono(Mono::just).block(Duration.ofSeconds(60));
    assertThat(sent.get().headers().containsHeader("x-flagroute-override")).isFalse();

    try (FlagScope ignored = TestRoutes.checkout("v2").makeCurrent()) {
      client.get().uri("http://localhost/x").header("x-flagroute-override", "fr2:1:checkout=v2:::sig")
          .exchangeToMono(Mono::just).block(Duration.ofSeconds(60));
    }
    assertThat(sent.get().headers().containsHeader("x-flagroute-override")).isFalse();
    assertThat(sent.get().headers().get("x-flag-checkout")).containsExactly("v2");
  }
}
