package dev.flagroute.codec;

import dev.flagroute.internal.AsciiNames;
import java.util.List;
import java.util.Map;

/**
 * Getters and setters for map carriers. The getters match names ignoring ASCII case, as HTTP does:
 * every key spelling the name in any case counts, their values joined with {@code ","} in the
 * map's order. A get is one pass over the keys that compares only those of the name's length, so
 * it costs about as much as the lookups it replaces for the few dozen headers of a request.
 */
final class MapCarriers {
  static final HeaderGetter<Map<String, String>> SINGLE_GETTER = new HeaderGetter<>() {
    @Override
    public String get(Map<String, String> carrier, String name) {
      String found = null;
      StringBuilder joined = null;
      for (Map.Entry<String, String> entry : carrier.entrySet()) {
        String value = entry.getValue();
        if (value != null && AsciiNames.same(name, entry.getKey())) {
          if (found == null) {
            found = value;
          } else {
            joined = (joined == null ? new StringBuilder(found) : joined).append(',').append(value);
          }
        }
      }
      return joined == null ? found : joined.toString();
    }

    @Override
    public Iterable<String> names(Map<String, String> carrier) {
      return carrier.keySet();
    }
  };

  static final HeaderGetter<Map<String, List<String>>> MULTI_GETTER = new HeaderGetter<>() {
    @Override
    public String get(Map<String, List<String>> carrier, String name) {
      String found = null;
      StringBuilder joined = null;
      for (Map.Entry<String, List<String>> entry : carrier.entrySet()) {
        if (AsciiNames.same(name, entry.getKey())) {
          String value = join(entry.getValue());
          if (value == null) {
            continue;
          }
          if (found == null) {
            found = value;
          } else {
            joined = (joined == null ? new StringBuilder(found) : joined).append(',').append(value);
          }
        }
      }
      return joined == null ? found : joined.toString();
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

  private static String join(List<String> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    return values.size() == 1 ? values.get(0) : String.join(",", values);
  }
}
