package dev.flagroute.mesh.crd;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluates a CRD's CEL rules ({@code x-kubernetes-validations}) on a resource as the API server does on create.
 *
 * <p>The schema's defaults are applied first. Then, at every node of the resource whose schema node carries
 * rules, each rule is evaluated with {@code self} bound to that node's value: objects as CEL maps whose property
 * names are escaped as Kubernetes escapes them ({@code namespace} is {@code __namespace__}, {@code -} is
 * {@code __dash__}), maps ({@code additionalProperties}) as CEL maps with their keys as they are, arrays as CEL
 * lists, integers as {@code int} and numbers as {@code double}. Rules that read {@code oldSelf} (transition rules)
 * do not apply on create and are skipped, and counted. The environment is CEL's standard one with the string
 * extensions and Kubernetes' URL library; a rule that does not compile in it is reported as a violation, never
 * skipped. Thread-safe; rules compile once.
 */
public final class CelRules {

  private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
      "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
      "void", "while");
  private static final Cel CEL = environment(false);
  private static final Cel TRANSITION_CEL = environment(true);
  private static final Map<String, Compiled> PROGRAMS = new ConcurrentHashMap<>();
  private static final AtomicLong DOCUMENTS = new AtomicLong();
  private static final AtomicLong EVALUATIONS = new AtomicLong();
  private static final AtomicLong TRANSITION_SKIPS = new AtomicLong();

  /**
   * How much has been evaluated in this JVM so far.
   *
   * @param documents resources checked
   * @param distinctRules rule and message expressions compiled
   * @param evaluations rule evaluations
   * @param transitionRulesSkipped transition rules met and skipped, as on create
   */
  public record Statistics(long documents, long distinctRules, long evaluations, long transitionRulesSkipped) {}

  /** A compiled rule: a program, a transition rule (null program, no error), or a compile error. */
  private record Compiled(CelRuntime.Program program, String error) {}

  private CelRules() {}

  static Statistics statistics() {
    return new Statistics(DOCUMENTS.get(), PROGRAMS.size(), EVALUATIONS.get(), TRANSITION_SKIPS.get());
  }

  /**
   * Evaluates every rule of {@code schema} (an {@code openAPIV3Schema}) on {@code document}.
   *
   * @return violations such as {@code "$.spec.listeners: Listener name must be unique within the Gateway (rule:
   *     ...)"}; empty if every rule holds
   */
  static List<String> violations(Map<?, ?> document, Map<?, ?> schema) {
    DOCUMENTS.incrementAndGet();
    List<String> violations = new ArrayList<>();
    walk(withDefaults(document, schema), schema, "$", true, violations);
    return violations;
  }

  private static void walk(Object value, Map<?, ?> schema, String path, boolean root, List<String> violations) {
    if (value == null || schema == null) {
      return;
    }
    if (schema.get("x-kubernetes-validations") instanceof List<?> rules) {
      Object self = toCel(value, schema, root);
      for (Object entry : rules) {
        evaluate((Map<?, ?>) entry, self, path, violations);
      }
    }
    if (value instanceof Map<?, ?> map) {
      Map<?, ?> properties = schema.get("properties") instanceof Map<?, ?> p ? p : Map.of();
      Map<?, ?> additional = schema.get("additionalProperties") instanceof Map<?, ?> a ? a : null;
      for (Map.Entry<?, ?> field : map.entrySet()) {
        Map<?, ?> child = properties.get(field.getKey()) instanceof Map<?, ?> c ? c : additional;
        walk(field.getValue(), child, path + "." + field.getKey(), false, violations);
      }
    } else if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), items, path + "[" + i + "]", false, violations);
      }
    }
  }

  private static void evaluate(Map<?, ?> rule, Object self, String path, List<String> violations) {
    String expression = String.valueOf(rule.get("rule"));
    Compiled compiled = PROGRAMS.computeIfAbsent(expression, CelRules::compile);
    if (compiled.error() != null) {
      violations.add(path + ": rule does not compile: " + expression + ": " + compiled.error());
      return;
    }
    if (compiled.program() == null) {
      TRANSITION_SKIPS.incrementAndGet();
      return;
    }
    EVALUATIONS.incrementAndGet();
    Object result;
    try {
      result = compiled.program().eval(Map.of("self", self));
    } catch (CelEvaluationException e) {
      violations.add(path + ": rule failed to evaluate: " + expression + ": " + e.getMessage());
      return;
    }
    if (!Boolean.TRUE.equals(result)) {
      String at = rule.get("fieldPath") instanceof String fieldPath ? path + fieldPath : path;
      violations.add(at + ": " + message(rule, self, expression) + " (rule: " + expression + ")");
    }
  }

  private static String message(Map<?, ?> rule, Object self, String expression) {
    if (rule.get("messageExpression") instanceof String messageExpression) {
      Compiled compiled = PROGRAMS.computeIfAbsent(messageExpression, CelRules::compile);
      if (compiled.program() != null) {
        try {
          return String.valueOf(compiled.program().eval(Map.of("self", self)));
        } catch (CelEvaluationException e) {
          return "messageExpression failed: " + messageExpression + ": " + e.getMessage();
        }
      }
      return "messageExpression does not compile: " + messageExpression + ": " + compiled.error();
    }
    return rule.get("message") instanceof String message ? message : "failed rule: " + expression;
  }

  private static Compiled compile(String expression) {
    try {
      CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
      return new Compiled(CEL.createProgram(ast), null);
    } catch (CelValidationException e) {
      if (!TRANSITION_CEL.compile(expression).hasError()) {
        return new Compiled(null, null);
      }
      return new Compiled(null, e.getMessage());
    } catch (CelEvaluationException e) {
      return new Compiled(null, e.getMessage());
    }
  }

  /** The resource with the schema's defaults filled in where a field is absent, as the API server defaults. */
  private static Object withDefaults(Object value, Map<?, ?> schema) {
    if (schema == null) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      Map<?, ?> properties = schema.get("properties") instanceof Map<?, ?> p ? p : Map.of();
      Map<?, ?> additional = schema.get("additionalProperties") instanceof Map<?, ?> a ? a : null;
      map.forEach((key, child) -> copy.put(key, withDefaults(child,
          properties.get(key) instanceof Map<?, ?> c ? c : additional)));
      properties.forEach((key, child) -> {
        if (!copy.containsKey(key) && child instanceof Map<?, ?> c && c.containsKey("default")) {
          copy.put(key, withDefaults(c.get("default"), c));
        }
      });
      return copy;
    }
    if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
      return list.stream().map(item -> withDefaults(item, items)).toList();
    }
    return value;
  }

  /** The value as CEL sees it at this schema node. */
  private static Object toCel(Object value, Map<?, ?> schema, boolean root) {
    if (value == null) {
      return NullValue.NULL_VALUE;
    }
    Map<?, ?> node = schema == null ? Map.of() : schema;
    if (value instanceof Map<?, ?> map) {
      Map<?, ?> properties = node.get("properties") instanceof Map<?, ?> p ? p : null;
      Map<?, ?> additional = node.get("additionalProperties") instanceof Map<?, ?> a ? a : null;
      Map<Object, Object> cel = new LinkedHashMap<>();
      for (Map.Entry<?, ?> field : map.entrySet()) {
        String key = String.valueOf(field.getKey());
        if (properties != null && properties.get(key) instanceof Map<?, ?> child) {
          if (!root || !"metadata".equals(key)) {
            cel.put(escape(key), toCel(field.getValue(), child, false));
          } else {
            cel.put(key, metadata(field.getValue()));
          }
        } else if (properties == null) {
          cel.put(key, toCel(field.getValue(), additional, false));
        }
      }
      return cel;
    }
    if (value instanceof List<?> list) {
      Map<?, ?> items = node.get("items") instanceof Map<?, ?> i ? i : null;
      return list.stream().map(item -> toCel(item, items, false)).toList();
    }
    if (value instanceof Number number) {
      if ("number".equals(node.get("type")) || value instanceof Double || value instanceof Float) {
        return number.doubleValue();
      }
      if (value instanceof BigInteger big && big.bitLength() > 63) {
        throw new IllegalArgumentException("integer out of range: " + big);
      }
      return number.longValue();
    }
    return value;
  }

  /** At the root, {@code self.metadata} holds only {@code name} and {@code generateName}. */
  private static Map<String, Object> metadata(Object metadata) {
    Map<String, Object> visible = new LinkedHashMap<>();
    if (metadata instanceof Map<?, ?> map) {
      for (String key : List.of("name", "generateName")) {
        if (map.get(key) != null) {
          visible.put(key, map.get(key));
        }
      }
    }
    return visible;
  }

  /** A property name as Kubernetes makes it a CEL identifier. */
  static String escape(String name) {
    if (RESERVED.contains(name)) {
      return "__" + name + "__";
    }
    return name.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__")
        .replace("/", "__slash__");
  }

  private static Cel environment(boolean withOldSelf) {
    var builder = CelFactory.standardCelBuilder()
        .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("self", SimpleType.DYN)
        .addCompilerLibraries(CelExtensions.strings())
        .addRuntimeLibraries(CelExtensions.strings())
        .addFunctionDeclarations(KubernetesUrls.declarations())
        .addFunctionBindings(KubernetesUrls.bindings());
    if (withOldSelf) {
      builder.addVar("oldSelf", SimpleType.DYN);
    }
    return builder.build();
  }
}
