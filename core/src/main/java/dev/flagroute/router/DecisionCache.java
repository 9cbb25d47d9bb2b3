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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluated decisions of every routing flag, one entry per targeting key and attributes, so that a
 * hit costs one lookup. Bounded in entries and age.
 *
 * <p>The key is the targeting key and every attribute of the evaluation context but those declared
 * irrelevant to routing: no attribute reaches the provider without being part of the key, so no
 * request can pin a decision made for other attributes on its targeting key. Declared key
 * attributes are read by position, the cheap key of a context that carries nothing else; any
 * other attribute a context carries joins the key by name. Keys are not cached when the targeting
 * key or a string attribute is longer than {@link #MAX_KEY_CHARS}, when a value is a structure or
 * a list, or when more than {@link #MAX_OTHER_ATTRIBUTES} undeclared attributes or
 * {@link #MAX_OTHER_ATTRIBUTE_CHARS} chars of their names and string values join the key, so that
 * hostile input cannot fill memory through the cache.
 *
 * <p>Once the cache is full, a key is stored only on its second miss within about the last
 * {@code maximumSize} new keys (see {@link Doorkeeper}): an insert into a full cache costs an
 * eviction, which is wasted on a key that never returns before it would be evicted itself.
 *
 * <p>The Caffeine cache is built on the first store, not with the router: building it loads and
 * links much of Caffeine, which would otherwise cost every application's start-up about a tenth
 * of a second of CPU, and a router that never stores a decision never pays it.
 *
 * <p>The targeting key is part of the key exactly as the provider gets it: a context without one
 * and a context whose targeting key is empty are separate entries, since a provider may tell them
 * apart (OpenFeature's own contexts keep an empty key).
 *
 * <p>Invalidation bumps a generation; a decision computed before an invalidation is never stored
 * after it, so a configuration change cannot be overwritten by a late, stale evaluation.
 */
final class DecisionCache {
  static final int MAX_KEY_CHARS = 256;
  static final int MAX_OTHER_ATTRIBUTES = 8;
  static final int MAX_OTHER_ATTRIBUTE_CHARS = 512;

  private final Duration ttl;
  private final Ticker ticker;
  private final long maximumSize;
  private final Doorkeeper doorkeeper;
  /** The key part of a context without a targeting key, unequal to every string, the empty one included. */
  private static final Object NO_TARGETING_KEY = new Object() {
    @Override
    public String toString() {
      return "(no targeting key)";
    }
  };

  private final String[] keyAttributes;
  private final String[] ignoredAttributes;
  private final Set<String> declared;
  private final AtomicLong generation = new AtomicLong();
  private volatile Cache<Object, FlagContext> cache;

  DecisionCache(long maximumSize, Duration ttl, String[] keyAttributes, String[] ignoredAttributes, Ticker ticker) {
    this.ttl = ttl;
    this.ticker = ticker;
    this.maximumSize = maximumSize;
    this.doorkeeper = new Doorkeeper(maximumSize);
    this.keyAttributes = keyAttributes;
    this.ignoredAttributes = ignoredAttributes;
    this.declared = new HashSet<>(Arrays.asList(keyAttributes));
    declared.addAll(Arrays.asList(ignoredAttributes));
    declared.add(EvaluationContext.TARGETING_KEY);
  }

  /**
   * The key of {@code context}, or null if it must not be cached. A context whose attributes are
   * all declared costs a lookup per declared attribute, no iteration, and allocates nothing when
   * no key attribute is declared.
   */
  Object keyOf(EvaluationContext context) {
    Map<String, Value> plain = plainAttributes(context);
    Map<String, Value> attributes = plain != null ? plain : context.asMap();
    Value targetingValue = attributes.get(EvaluationContext.TARGETING_KEY);
    String targetingKey = targetingValue != null ? targetingValue.asString()
        : plain != null ? null : context.getTargetingKey();
    boolean unusable = targetingValue != null && targetingKey == null;
    if (unusable || targetingKey != null && targetingKey.length() > MAX_KEY_CHARS) {
      return null;
    }
    int accounted = targetingValue == null ? 0 : 1;
    Value[] values = keyAttributes.length == 0 ? null : new Value[keyAttributes.length];
    for (int i = 0; i < keyAttributes.length; i++) {
      Value value = attributes.get(keyAttributes[i]);
      if (value != null) {
        if (!cacheable(value)) {
          return null;
        }
        accounted++;
      }
      values[i] = value;
    }
    for (String ignored : ignoredAttributes) {
      if (attributes.containsKey(ignored)) {
        accounted++;
      }
    }
    Object key = targetingKey == null ? NO_TARGETING_KEY : targetingKey;
    if (accounted == attributes.size()) {
      return values == null ? key : new AttributeKey(key, values, null);
    }
    Object[] others = others(attributes, attributes.size() - accounted);
    return others == null ? null : new AttributeKey(key, values, others);
  }

  /**
   * The {@code count} undeclared attributes, as name, value, name, value... sorted by name; null
   * if they are beyond the bounds or not cacheable.
   */
  private Object[] others(Map<String, Value> attributes, int count) {
    if (count > MAX_OTHER_ATTRIBUTES) {
      return null;
    }
    String[] names = new String[count];
    int found = 0;
    int chars = 0;
    for (Map.Entry<String, Value> attribute : attributes.entrySet()) {
      String name = attribute.getKey();
      if (declared.contains(name)) {
        continue;
      }
      Value value = attribute.getValue();
      if (found == count || value != null && !cacheable(value)) {
        return null;
      }
      chars += name.length() + (value != null && value.isString() ? value.asString().length() : 0);
      if (chars > MAX_OTHER_ATTRIBUTE_CHARS) {
        return null;
      }
      names[found++] = name;
    }
    Arrays.sort(names, 0, found);
    Object[] others = new Object[2 * found];
    for (int i = 0; i < found; i++) {
      others[2 * i] = names[i];
      others[2 * i + 1] = attributes.get(names[i]);
    }
    return others;
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

  /** A targeting key with the values of the declared key attributes and the other attributes, if any. */
  private record AttributeKey(Object targetingKey, Value[] values, Object[] others) {
    @Override
    public boolean equals(Object o) {
      return o instanceof AttributeKey other && targetingKey.equals(other.targetingKey)
          && Arrays.equals(values, other.values) && Arrays.equals(others, other.others);
    }

    @Override
    public int hashCode() {
      return (31 * targetingKey.hashCode() + Arrays.hashCode(values)) * 31 + Arrays.hashCode(others);
    }
  }
}
