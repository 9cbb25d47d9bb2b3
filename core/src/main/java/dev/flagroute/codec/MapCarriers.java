package dev.flagroute.codec;

import java.util.List;
import java.util.Map;

/** Getters and setters for map carriers. */
final class MapCarriers {
  static final HeaderGetter<Map<String, String>> SINGLE_GETTER = new HeaderGetter<>() {
    @Override
    public String get(Map<String, String> carrier, String name) {
      return carrier.get(name);
    }

    @Override
    public Iterable<String> names(Map<String, String> carrier) {
      return carrier.keySet();
    }
  };

  static final HeaderGetter<Map<String, List<String>>> MULTI_GETTER = new HeaderGetter<>() {
    @Override
    public String get(Map<String, List<String>> carrier, String name) {
      List<String> values = carrier.get(name);
      if (values == null || values.isEmpty()) {
        return null;
      }
      return values.size() == 1 ? values.get(0) : String.join(",", values);
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
}
