package dev.flagroute.router;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes declared irrelevant to routing ({@code cacheIgnoredAttributes}), taken out of the
 * context routing flags are evaluated with: they are not part of the cache key, so the provider
 * must not see them either, or the first value a targeting key was evaluated with would stick to
 * every request of that key. Costs nothing when none are declared, and a lookup per name on a miss
 * otherwise.
 */
final class IgnoredAttributes {
  private final String[] names;

  IgnoredAttributes(List<String> names) {
    this.names = names.toArray(String[]::new);
  }

  /** {@code context} without the ignored attributes; {@code context} itself when it carries none. */
  EvaluationContext strip(EvaluationContext context) {
    if (names.length == 0) {
      return context;
    }
    Map<String, Value> attributes = context.asUnmodifiableMap();
    boolean carried = false;
    for (String name : names) {
      carried |= attributes.containsKey(name);
    }
    if (!carried) {
      return context;
    }
    Map<String, Value> kept = new HashMap<>(attributes);
    for (String name : names) {
      kept.remove(name);
    }
    kept.remove(EvaluationContext.TARGETING_KEY);
    return new ImmutableContext(context.getTargetingKey(), kept);
  }
}
