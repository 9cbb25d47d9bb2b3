package dev.flagroute.example.storefront;

import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenFeature set-up. flagroute's starter decides with a client of this {@link OpenFeatureAPI}
 * bean, which Spring shuts down with the application. Any provider works (flagd, a vendor's, ...); this one keeps the example self-contained:
 * flag {@code new-reviews} is {@code redesign} for the configured beta testers and {@code stable}
 * for everyone else.
 */
@Configuration(proxyBeanMethods = false)
class FeatureFlags {
  @Bean
  OpenFeatureAPI openFeature(StorefrontProperties properties) {
    Set<String> testers = Set.copyOf(properties.betaTesters());
    Flag<String> newReviews = Flag.<String>builder()
        .variant("stable", "stable")
        .variant("redesign", "redesign")
        .defaultVariant("stable")
        .contextEvaluator((flag, context) -> testers.contains(context.getTargetingKey()) ? "redesign" : null)
        .build();
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait(new InMemoryProvider(Map.of("new-reviews", newReviews)));
    return api;
  }
}
