package dev.flagroute.mesh.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictCrdSchemaTest {

  @Test
  void closesStructuralObjectsOnly() {
    Map<String, Object> schema = StrictCrdSchema.convert(Map.of(
        "type", "object",
        "properties", Map.of("a", Map.of("type", "string")),
        "oneOf", List.of(Map.of("required", List.of("a")), Map.of("properties", Map.of("a", Map.of())))), true);
    assertEquals(false, schema.get("additionalProperties"));
    assertEquals(Map.of("type", "string"), nested(schema, "properties", "a"));
    assertEquals(Map.of("properties", Map.of("a", Map.of())), ((List<?>) schema.get("oneOf")).get(1));
  }

  @Test
  void closesItemsAndMapValues() {
    Map<String, Object> object = Map.of("type", "object", "properties", Map.of("x", Map.of("type", "string")));
    Map<String, Object> schema = StrictCrdSchema.convert(Map.of("type", "object", "properties", Map.of(
        "list", Map.of("type", "array", "items", object),
        "map", Map.of("type", "object", "additionalProperties", object))), true);
    assertEquals(false, nested(schema, "properties", "list", "items").get("additionalProperties"));
    assertEquals(false, nested(schema, "properties", "map", "additionalProperties").get("additionalProperties"));
    assertEquals(Map.of("type", "string"), nested(schema, "properties", "map", "additionalProperties", "properties", "x"));
  }

  @Test
  void keepsPreservedObjectsOpen() {
    Map<String, Object> schema = StrictCrdSchema.convert(Map.of("type", "object",
        "properties", Map.of("a", Map.of("type", "string")),
        "x-kubernetes-preserve-unknown-fields", true), true);
    assertFalse(schema.containsKey("additionalProperties"));
    assertFalse(schema.containsKey("x-kubernetes-preserve-unknown-fields"));
  }

  @Test
  void nullableAddsNullToTypeAndEnum() {
    assertEquals(Map.of("type", List.of("boolean", "null")),
        StrictCrdSchema.convert(Map.of("type", "boolean", "nullable", true), true));
    Map<String, Object> enumSchema = StrictCrdSchema.convert(
        Map.of("type", "string", "enum", List.of("A"), "nullable", true), true);
    assertEquals(List.of("string", "null"), enumSchema.get("type"));
    assertEquals(Arrays.asList("A", null), enumSchema.get("enum"));
  }

  @Test
  void intOrStringAllowsBoth() {
    assertEquals(Map.of("type", List.of("integer", "string")),
        StrictCrdSchema.convert(Map.of("x-kubernetes-int-or-string", true), true));
    Map<String, Object> anyOf = Map.of("anyOf", List.of(Map.of("type", "integer"), Map.of("type", "string")),
        "x-kubernetes-int-or-string", true);
    assertEquals(Map.of("anyOf", anyOf.get("anyOf")), StrictCrdSchema.convert(anyOf, true));
  }

  @Test
  void translatesFormatsAndDropsKubernetesKeywords() {
    assertEquals(Map.of("type", "integer", "minimum", 0, "maximum", (long) Integer.MAX_VALUE),
        StrictCrdSchema.convert(Map.of("type", "integer", "format", "int32", "minimum", 0), true));
    assertEquals(Map.of("type", "number"), StrictCrdSchema.convert(Map.of("type", "number", "format", "double"), true));
    assertEquals(Map.of("type", "string", "format", "date-time"),
        StrictCrdSchema.convert(Map.of("type", "string", "format", "date-time"), true));
    assertEquals(Map.of("type", "array", "items", Map.of("type", "string"), "uniqueItems", true),
        StrictCrdSchema.convert(Map.of("type", "array", "items", Map.of("type", "string"),
            "x-kubernetes-list-type", "set",
            "x-kubernetes-validations", List.of(Map.of("rule", "size(self) < 3"))), true));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> nested(Map<String, Object> schema, String... keys) {
    Map<String, Object> current = schema;
    for (String key : keys) {
      current = (Map<String, Object>) current.get(key);
    }
    return current;
  }
}
