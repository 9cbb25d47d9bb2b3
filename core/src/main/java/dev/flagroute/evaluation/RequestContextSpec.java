package dev.flagroute.evaluation;

import dev.flagroute.codec.HeaderGetter;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an inbound request's OpenFeature evaluation context is read from its headers, the same for
 * every adapter (servlet, WebFlux, gRPC): the targeting key from a header or any other source, and
 * evaluation attributes from headers ({@code tenant} from {@code x-tenant-id}), within bounds, so a
 * request cannot grow the context, or the decision cache keyed on it, without limit. A targeting
 * key is stripped and taken if it is not blank and at most {@value #MAX_TARGETING_KEY_LENGTH}
 * chars; an attribute header's value likewise, at most {@value #MAX_ATTRIBUTE_LENGTH} chars.
 * Anything else counts as absent. Immutable and thread-safe.
 *
 * <pre>{@code
 * RequestContextSpec spec = RequestContextSpec.of("x-user-id", Map.of("tenant", "x-tenant-id"));
 * EvaluationContext context = spec.read(headers, HeaderGetter.forMap());
 * }</pre>
 */
public final class RequestContextSpec {
  /** The longest targeting key taken; a longer one counts as absent. */
  public static final int MAX_TARGETING_KEY_LENGTH = 256;
  /** The longest attribute value taken from a header; a longer one counts as absent. */
  public static final int MAX_ATTRIBUTE_LENGTH = 1024;
  /** No targeting-key header and no attribute headers: every request's context is empty. */
  public static final RequestContextSpec NONE = new RequestContextSpec(null, Map.of());

  private final String targetingKeyHeader;
  private final String[] attributeNames;
  private final String[] attributeHeaders;
  private final Map<String, String> attributes;

  private RequestContextSpec(String targetingKeyHeader, Map<String, String> attributeHeaders) {
    this.targetingKeyHeader = targetingKeyHeader;
    Map<String, String> copy = new LinkedHashMap<>();
    attributeHeaders.forEach((name, header) -> copy.put(requireText(name, "attribute name"),
        requireText(header, "header of attribute " + name)));
    this.attributes = Collections.unmodifiableMap(copy);
    this.attributeNames = copy.keySet().toArray(new String[0]);
    this.attributeHeaders = copy.values().toArray(new String[0]);
  }

  /**
   * Reads the targeting key from header {@code targetingKeyHeader} ({@code null} for none or a key
   * from elsewhere) and each attribute of {@code attributeHeaders} from its header, in order.
   *
   * @throws IllegalArgumentException if a name or header is blank
   */
  public static RequestContextSpec of(String targetingKeyHeader, Map<String, String> attributeHeaders) {
    Objects.requireNonNull(attributeHeaders, "attributeHeaders");
    return new RequestContextSpec(targetingKeyHeader == null ? null
        : requireText(targetingKeyHeader, "targeting key header"), attributeHeaders);
  }

  /** The evaluation context of a request whose headers {@code getter} reads from {@code carrier}. */
  public <C> EvaluationContext read(C carrier, HeaderGetter<C> getter) {
    return read(carrier, getter, targetingKeyHeader == null ? null : getter.get(carrier, targetingKeyHeader));
  }

  /**
   * The same with the targeting key {@code targetingKey}, as read from another source (a cookie,
   * the principal, a callback; {@code null} for none), bounded like one read from a header.
   */
  public <C> EvaluationContext read(C carrier, HeaderGetter<C> getter, String targetingKey) {
    String key = targetingKey(targetingKey);
    if (attributeNames.length == 0) {
      return key == null ? ImmutableContext.EMPTY : new ImmutableContext(key);
    }
    Map<String, Value> values = new HashMap<>(2 * attributeNames.length + 1);
    for (int i = 0; i < attributeNames.length; i++) {
      String value = bounded(getter.get(carrier, attributeHeaders[i]), MAX_ATTRIBUTE_LENGTH);
      if (value != null) {
        values.put(attributeNames[i], new Value(value));
      }
    }
    return new ImmutableContext(key, values);
  }

  /** The attributes read from headers: evaluation attribute to header, in order. */
  public Map<String, String> attributeHeaders() {
    return attributes;
  }

  /** {@code value} stripped, or {@code null} if it is null, blank or longer than a targeting key may be. */
  public static String targetingKey(String value) {
    return bounded(value, MAX_TARGETING_KEY_LENGTH);
  }

  /**
   * {@code context} within the bounds of a context read from headers, for contexts an application
   * builds itself: a targeting key longer than {@value #MAX_TARGETING_KEY_LENGTH} chars is dropped,
   * and so is every string attribute longer than {@value #MAX_ATTRIBUTE_LENGTH} chars. A context
   * within them is returned as it is; {@code null} reads as the empty context.
   */
  public static EvaluationContext bounded(EvaluationContext context) {
    if (context == null) {
      return ImmutableContext.EMPTY;
    }
    String key = context.getTargetingKey();
    boolean keyFits = key == null || key.length() <= MAX_TARGETING_KEY_LENGTH;
    Map<String, Value> attributes = context.asMap();
    boolean attributesFit = attributes.entrySet().stream()
        .allMatch(entry -> fits(entry.getKey(), entry.getValue()));
    if (keyFits && attributesFit) {
      return context;
    }
    Map<String, Value> kept = new HashMap<>();
    attributes.forEach((name, value) -> {
      if (fits(name, value)) {
        kept.put(name, value);
      }
    });
    kept.remove(EvaluationContext.TARGETING_KEY);
    return new ImmutableContext(keyFits ? key : null, kept);
  }

  private static boolean fits(String name, Value value) {
    if (name.equals(EvaluationContext.TARGETING_KEY)) {
      return true;
    }
    return value == null || !value.isString() || value.asString().length() <= MAX_ATTRIBUTE_LENGTH;
  }

  private static String bounded(String value, int maxLength) {
    if (value == null) {
      return null;
    }
    String stripped = value.strip();
    return stripped.isEmpty() || stripped.length() > maxLength ? null : stripped;
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank: '" + value + "'");
    }
    return value.strip();
  }

  @Override
  public String toString() {
    return "RequestContextSpec[targetingKeyHeader=" + targetingKeyHeader + ", attributeHeaders=" + attributes + "]";
  }
}
