package dev.flagroute.router;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.flagroute.context.FlagContext;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.Value;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluated decisions of every routing flag, one entry per targeting key and values of the
 * configured key attributes, so that a hit costs one lookup. Bounded in entries and age.
 *
 * <p>Only attributes named in the key may influence routing flags: two contexts that agree on the
 * targeting key and those attributes share an entry. Keys are not cached when the targeting key
 * or a string attribute is longer than {@link #MAX_KEY_CHARS}, so that hostile input cannot fill
 * memory through the cache.
 *
 * <p>Once the cache is full, a key is stored only on its second miss within about the last
 * {@code maximumSize} new keys (see {@link Doorkeeper}): an insert into a full cache costs an
 * eviction, which is wasted on a key that never returns before it would be evicted itself.
 *
 * <p>The Caffeine cache is built on the first store, not with the router: building it loads and
 * links much of Caffeine, which would otherwise cost every application's start-up about a tenth
 * of a second of CPU, and a router that never stores a decision never pays it.
 *
 * <p>Invalidation bumps a generation; a decision computed before an invalidation is never stored
 * after it, so a configuration change cannot be overwritten by a late, stale evaluation.
 */
final class DecisionCache {
  static final int MAX_KEY_CHARS = 256;

  private final Duration ttl;
  private final Ticker ticker;
  private final long maximumSize;
  private final Doorkeeper doorkeeper;
  private final String[] keyAttributes;
  private final AtomicLong generation = new AtomicLong();
  private volatile Cache<Object, FlagContext> cache;

  DecisionCache(long maximumSize, Duration ttl, String[] keyAttributes, Ticker ticker) {
    this.ttl = ttl;
    this.ticker = ticker;
    this.maximumSize = maximumSize;
    this.doorkeeper = new Doorkeeper(maximumSize);
    this.keyAttributes = keyAttributes;
  }

  /** The key of {@code context}, or null if it must not be cached. */
  Object keyOf(EvaluationContext context) {
    Map<String, Value> attributes = plainAttributes(context);
    String targetingKey = attributes == null ? context.getTargetingKey()
        : asString(attributes.get(EvaluationContext.TARGETING_KEY));
    if (targetingKey == null) {
      targetingKey = "";
    } else if (targetingKey.length() > MAX_KEY_CHARS) {
      return null;
    }
    if (keyAttributes.length == 0) {
      return targetingKey;
    }
    Value[] values = new Value[keyAttributes.length];
    for (int i = 0; i < values.length; i++) {
      Value value = attributes == null ? context.getValue(keyAttributes[i]) : attributes.get(keyAttributes[i]);
      if (value != null && !cacheable(value)) {
        return null;
      }
      values[i] = value;
    }
    return new AttributeKey(targetingKey, values);
  }

  /**
   * The attribute map of the SDK's own context classes, which keep the targeting key among their
   * attributes: read without the defensive copy that {@code getValue} makes of every value, a
   * noticeable cost on a cache hit. Null for other contexts, which are read through the interface.
   */
  private static Map<String, Value> plainAttributes(EvaluationContext context) {
    Class<?> type = context.getClass();
    return type == ImmutableContext.class || type == MutableContext.class ? context.asUnmodifiableMap() : null;
  }

  private static String asString(Value value) {
    return value == null ? null : value.asString();
  }

  private static boolean cacheable(Value value) {
    return value.isString() ? value.asString().length() <= MAX_KEY_CHARS
        : value.isBoolean() || value.isNumber() || value.isInstant() || value.isNull();
  }

  FlagContext get(Object key) {
    Cache<Object, FlagContext> built = cache;
    return built == null ? null : built.getIfPresent(key);
  }

  /** The cache, built on first use. */
  private Cache<Object, FlagContext> cache() {
    Cache<Object, FlagContext> built = cache;
    if (built == null) {
      synchronized (this) {
        built = cache;
        if (built == null) {
          // Maintenance (eviction, expiry) runs on the calling thread, amortized over requests:
          // handing it to the common pool on every write costs a thread wake-up per cache miss.
          built = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).ticker(ticker)
              .executor(Runnable::run).build();
          cache = built;
        }
      }
    }
    return built;
  }

  /** The generation to pass to {@link #put}: read it before evaluating. */
  long generation() {
    return generation.get();
  }

  /**
   * Stores {@code decisions} unless the cache was invalidated since {@code generation}, or is full
   * and has not seen {@code key} miss recently.
   */
  void put(Object key, FlagContext decisions, long generation) {
    Cache<Object, FlagContext> cache = cache();
    if (this.generation.get() != generation
        || cache.estimatedSize() >= maximumSize && !doorkeeper.seenBefore(key.hashCode())) {
      return;
    }
    cache.put(key, decisions);
    if (this.generation.get() != generation) {
      cache.asMap().remove(key, decisions);
    }
  }

  void invalidateAll() {
    generation.incrementAndGet();
    Cache<Object, FlagContext> built = cache;
    if (built != null) {
      built.invalidateAll();
    }
  }

  private record AttributeKey(String targetingKey, Value[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof AttributeKey other && targetingKey.equals(other.targetingKey)
          && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
      return 31 * targetingKey.hashCode() + Arrays.hashCode(values);
    }
  }
}
