package dev.flagroute.spring.it;

import dev.flagroute.context.FlagContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.annotation.Async;

/** What the MVC and WebFlux routing tests share: the request they send and how they read flags. */
final class FlagProbes {
  private FlagProbes() {}

  /** The variant of {@code checkout} in {@code flags}, or {@code none}. */
  static String variantOf(FlagContext flags) {
    String variant = flags.variant("checkout");
    return variant == null ? "none" : variant;
  }

  /** Request headers: the user, when given, and a forged {@code checkout} flag header, when given. */
  static Consumer<HttpHeaders> userAndForgedFlag(String user, String forgedFlag) {
    return headers -> {
      if (user != null) {
        headers.set("x-user-id", user);
      }
      if (forgedFlag != null) {
        headers.set("x-flag-checkout", forgedFlag);
      }
    };
  }

  /** Reports the variant of {@code checkout} from a thread of Boot's task executor. */
  static class AsyncVariant {
    @Async
    public CompletableFuture<String> variant() {
      return CompletableFuture.completedFuture(variantOf(FlagContext.current()) + "@" + Thread.currentThread().getName());
    }
  }
}
