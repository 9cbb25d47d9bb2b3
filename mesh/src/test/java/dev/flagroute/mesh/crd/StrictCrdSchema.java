package dev.flagroute.mesh.crd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a CRD's {@code openAPIV3Schema} into a strict draft-4 JSON Schema.
 *
 * <p>Rules, following how the Kubernetes API server treats structural schemas:
 * <ul>
 *   <li>Every structural {@code type: object} schema without {@code additionalProperties} and without
 *       {@code x-kubernetes-preserve-unknown-fields: true} gets {@code additionalProperties: false}, so
 *       unknown fields are errors instead of being silently pruned. Schemas inside {@code allOf},
 *       {@code anyOf}, {@code oneOf} and {@code not} are value checks only and are left open.</li>
 *   <li>{@code nullable: true} adds {@code null} to {@code type} (and to {@code enum}).</li>
 *   <li>{@code x-kubernetes-int-or-string: true} without its own {@code anyOf} becomes
 *       {@code type: [integer, string]}.</li>
 *   <li>{@code x-kubernetes-list-type: set} becomes {@code uniqueItems: true}.</li>
 *   <li>{@code format: int32}/{@code int64} become range bounds; {@code date-time} is kept; other formats
 *       and all other {@code x-kubernetes-*} keywords (CEL rules, list-map keys) are dropped.</li>
 *   <li>At the root, {@code apiVersion} and {@code kind} are pinned and {@code metadata} is limited to
 *       {@code name}, {@code namespace}, {@code labels} and {@code annotations}.</li>
 * </ul>
 */
final class StrictCrdSchema {

  private static final String X_KUBERNETES = "x-kubernetes-";
  private static final List<String> COMBINATORS = List.of("allOf", "anyOf", "oneOf");
  private static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  private static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  private StrictCrdSchema() {
  }

  /** Returns the strict schema for documents of {@code apiVersion}/{@code kind}; the input is not modified. */
  static Map<String, Object> of(Map<String, Object> openApiV3Schema, String apiVersion, String kind) {
    Map<String, Object> root = convert(openApiV3Schema, true);
    Map<String, Object> properties = childMap(root, "properties");
    properties.put("apiVersion", Map.of("type", "string", "enum", List.of(apiVersion)));
    properties.put("kind", Map.of("type", "string", "enum", List.of(kind)));
    properties.put("metadata", metadataSchema());
    List<Object> required = new ArrayList<>(List.of("apiVersion", "kind", "metadata"));
    if (root.get("required") instanceof List<?> existing) {
      existing.stream().filter(name -> !required.contains(name)).forEach(required::add);
    }
    root.put("required", required);
    root.put("type", "object");
    root.put("additionalProperties", false);
    return root;
  }

  /** Converts one schema node; {@code structural} is false below a combinator. */
  static Map<String, Object> convert(Map<?, ?> schema, boolean structural) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : schema.entrySet()) {
      String key = String.valueOf(entry.getKey());
      Object value = entry.getValue();
      if (key.startsWith(X_KUBERNETES) || key.equals("nullable") || key.equals("format")) {
        continue;
      }
      switch (key) {
        case "properties" -> {
          Map<String, Object> props = new LinkedHashMap<>();
          asMap(value).forEach((name, sub) ->
              props.put(String.valueOf(name), convert(asMap(sub), structural)));
          out.put(key, props);
        }
        case "items", "additionalProperties" ->
            out.put(key, value instanceof Map<?, ?> sub ? convert(sub, structural) : value);
        case "not" -> out.put(key, convert(asMap(value), false));
        default -> out.put(key, COMBINATORS.contains(key) ? convertAll(value) : value);
      }
    }
    applyFormat(out, schema.get("format"));
    if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))
        && !out.containsKey("type") && !out.containsKey("anyOf") && !out.containsKey("oneOf")) {
      out.put("type", List.of("integer", "string"));
    }
    if ("set".equals(schema.get("x-kubernetes-list-type"))) {
      out.put("uniqueItems", true);
    }
    if (Boolean.TRUE.equals(schema.get("nullable"))) {
      allowNull(out);
    }
    boolean isObject = "object".equals(out.get("type")) || out.containsKey("properties");
    if (structural && isObject && !out.containsKey("additionalProperties")
        && !Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))) {
      out.put("additionalProperties", false);
    }
    return out;
  }

  private static List<Object> convertAll(Object schemas) {
    List<Object> out = new ArrayList<>();
    for (Object sub : (List<?>) schemas) {
      out.add(convert(asMap(sub), false));
    }
    return out;
  }

  private static void applyFormat(Map<String, Object> out, Object format) {
    if ("int32".equals(format)) {
      narrow(out, Integer.MIN_VALUE, Integer.MAX_VALUE);
    } else if ("int64".equals(format)) {
      narrow(out, Long.MIN_VALUE, Long.MAX_VALUE);
    } else if ("date-time".equals(format)) {
      out.put("format", format);
    }
  }

  private static void narrow(Map<String, Object> out, long min, long max) {
    if (!(out.get("minimum") instanceof Number current) || current.doubleValue() < min) {
      out.put("minimum", min);
    }
    if (!(out.get("maximum") instanceof Number current) || current.doubleValue() > max) {
      out.put("maximum", max);
    }
  }

  private static void allowNull(Map<String, Object> out) {
    Object type = out.get("type");
    if (type instanceof String single) {
      out.put("type", List.of(single, "null"));
    } else if (type instanceof List<?> several && !several.contains("null")) {
      List<Object> types = new ArrayList<>(several);
      types.add("null");
      out.put("type", types);
    }
    if (out.get("enum") instanceof List<?> values) {
      List<Object> withNull = new ArrayList<>(values);
      if (!withNull.contains(null)) {
        withNull.add(null);
        out.put("enum", withNull);
      }
    }
  }

  private static Map<String, Object> metadataSchema() {
    Map<String, Object> stringMap = Map.of("type", "object", "additionalProperties", Map.of("type", "string"));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", Map.of("type", "string", "maxLength", 253, "pattern", DNS_SUBDOMAIN));
    properties.put("namespace", Map.of("type", "string", "maxLength", 63, "pattern", DNS_LABEL));
    properties.put("labels", stringMap);
    properties.put("annotations", stringMap);
    return Map.of("type", "object", "properties", properties, "required", List.of("name"),
        "additionalProperties", false);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> childMap(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
  }

  private static Map<?, ?> asMap(Object value) {
    if (value instanceof Map<?, ?> map) {
      return map;
    }
    throw new IllegalArgumentException("expected a schema object but found: " + value);
  }
}
