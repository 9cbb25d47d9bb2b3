package dev.flagroute.spring;

import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;

/**
 * The OpenFeature side of the tests: flag {@code checkout} is {@code v2} for targeting keys that
 * start with {@code beta-} and {@code v1} (its default) for everyone else.
 */
public final class TestFlags {
  private TestFlags() {}

  /** An isolated OpenFeature API whose default provider serves {@code checkout}. */
  public static OpenFeatureAPI api() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(provider());
    return api;
  }

  /** A fresh in-memory provider serving {@code checkout}. */
  public static InMemoryProvider provider() {
    Flag<String> checkout = Flag.<String>builder()
        .variant("v1", "v1")
        .variant("v2", "v2")
        .defaultVariant("v1")
        .contextEvaluator((flag, context) -> {
          String key = context.getTargetingKey();
          return key != null && key.startsWith("beta-") ? "v2" : null;
        })
        .build();
    return new InMemoryProvider(Map.of("checkout", checkout));
  }

  /** The variant of {@code checkout} expected for {@code user}. */
  public static String expected(String user) {
    return user != null && user.startsWith("beta-") ? "v2" : "v1";
  }
}
