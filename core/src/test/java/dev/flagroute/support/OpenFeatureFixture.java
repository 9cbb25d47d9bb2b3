package dev.flagroute.support;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.HookContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.StringHook;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * An isolated OpenFeature API with one provider, a client, and a count of the string evaluations
 * that reached the client. Shut down on close.
 */
public final class OpenFeatureFixture implements AutoCloseable {
  private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
  private final AtomicInteger evaluations = new AtomicInteger();
  private final Client client;

  private OpenFeatureFixture(FeatureProvider provider, boolean wait) {
    if (wait) {
      api.setProviderAndWait(provider);
    } else {
      api.setProvider(provider);
    }
    client = api.getClient();
    client.addHooks(new StringHook() {
      @Override
      public Optional<EvaluationContext> before(HookContext<String> ctx, Map<String, Object> hints) {
        evaluations.incrementAndGet();
        return Optional.empty();
      }
    });
  }

  /** A fixture whose provider is initialized. */
  public static OpenFeatureFixture ready(FeatureProvider provider) {
    return new OpenFeatureFixture(provider, true);
  }

  /** A fixture whose provider initializes in the background (and may never finish). */
  public static OpenFeatureFixture starting(FeatureProvider provider) {
    return new OpenFeatureFixture(provider, false);
  }

  public OpenFeatureAPI api() {
    return api;
  }

  public Client client() {
    return client;
  }

  /** String evaluations that reached the client so far. */
  public int evaluations() {
    return evaluations.get();
  }

  /** Waits up to 60 seconds for {@code condition}, which async OpenFeature events make true. */
  public static boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  @Override
  public void close() {
    api.shutdown();
  }
}
