package dev.flagroute.codec;

import java.util.List;
import java.util.Map;

/**
 * Getters and setters for map carriers. The getters match names ignoring ASCII case, as HTTP does: a
 * name is looked up as given first, and only when the map holds it in no other case (a map whose
 * keys are all lowercase, or one that ignores case itself) is that the answer; otherwise every
 * key spelling it in any case counts, their values joined with {@code ","} in the map's order.
 */
final class MapCarriers {
  static final HeaderGetter<Map<String, String>> SINGLE_GETTER = new HeaderGetter<>() {
    @Override
    public String get(Map<String, String> carrier, String name) {
      if (lowercase(name) && allLowercase(carrier)) {
        return carrier.get(name);
      }
      StringBuilder joined = null;
      for (Map.Entry<String, String> entry : carrier.entrySet()) {
        if (entry.getValue() != null && sameName(name, entry.getKey())) {
          joined = joined == null ? new StringBuilder(entry.getValue()) : joined.append(',').append(entry.getValue());
        }
      }
      return joined == null ? null : joined.toString();
    }

    @Override
    public Iterable<String> names(Map<String, String> carrier) {
      return carrier.keySet();
    }
  };

  static final HeaderGetter<Map<String, List<String>>> MULTI_GETTER = new HeaderGetter<>() {
    @Override
    public String get(Map<String, List<String>> carrier, String name) {
      if (lowercase(name) && allLowercase(carrier)) {
        return join(carrier.get(name), null);
      }
      StringBuilder joined = null;
      for (Map.Entry<String, List<String>> entry : carrier.entrySet()) {
        if (sameName(name, entry.getKey())) {
          String value = join(entry.getValue(), null);
          if (value != null) {
            joined = joined == null ? new StringBuilder(value) : joined.append(',').append(value);
          }
        }
      }
      return joined == null ? null : joined.toString();
    }

    @Override
    public Iterable<String> names(Map<String, List<String>> carrier) {
      return carrier.keySet();
    }
  };

  static final HeaderSetter<Map<String, String>> SINGLE_SETTER = new HeaderSetter<>() {
    @Override
    public void set(Map<String, String> carrier, String name, String value) {
      carrier.put(name, value);
    }

    @Override
    public String get(Map<String, String> carrier, String name) {
      return carrier.get(name);
    }
  };

  private MapCarriers() {}

  /**
   * Whether {@code key} spells {@code name} ignoring the case of ASCII letters only, as HTTP
   * compares header names (no other char folds onto an ASCII one, such as the Kelvin sign onto
   * {@code 'k'}).
   */
  static boolean sameName(String name, String key) {
    if (key == null || key.length() != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char a = name.charAt(i);
      char b = key.charAt(i);
      if (a != b && (a | 0x20) != (b | 0x20) || a != b && ((a | 0x20) < 'a' || (a | 0x20) > 'z')) {
        return false;
      }
    }
    return true;
  }

  private static String join(List<String> values, String none) {
    if (values == null || values.isEmpty()) {
      return none;
    }
    return values.size() == 1 ? values.get(0) : String.join(",", values);
  }

  /**
   * Whether no key of {@code carrier} has an ASCII upper-case letter, so that a
   * lowercase name finds its header by a lookup: the common case, checked by one scan of the keys,
   * no allocation.
   */
  private static boolean allLowercase(Map<String, ?> carrier) {
    for (String key : carrier.keySet()) {
      if (key == null) {
        continue;
      }
      if (!lowercase(key)) {
        return false;
      }
    }
    return true;
  }

  private static boolean lowercase(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return false;
      }
    }
    return true;
  }
}
