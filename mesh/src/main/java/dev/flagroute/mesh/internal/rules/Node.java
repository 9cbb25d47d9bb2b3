package dev.flagroute.mesh.internal.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A position in a parsed YAML document while it is read into rules: typed access that records a
 * problem, with the resource and field path, instead of throwing on the first bad field. Internal
 * to flagroute-mesh.
 */
public final class Node {
  private final Object value;
  private final String resource;
  private final String path;
  private final List<String> problems;

  /**
   * A node holding {@code value} (null when missing) at {@code path} of {@code resource}.
   *
   * @param problems where problems found at and below this node are recorded
   */
  public Node(Object value, String resource, String path, List<String> problems) {
    this.value = value;
    this.resource = resource;
    this.path = path;
    this.problems = problems;
  }

  /** The child {@code key}; missing if absent or if this is not a mapping. */
  public Node get(String key) {
    Object child = value instanceof Map<?, ?> map ? map.get(key) : null;
    return new Node(child, resource, path.isEmpty() ? key : path + "." + key, problems);
  }

  /** Whether there is no value here. */
  public boolean isMissing() {
    return value == null;
  }

  /** Where this node is, e.g. {@code spec.http[0].match[1]}. */
  public String path() {
    return path;
  }

  /** The resource holding this node, e.g. {@code VirtualService shop/reviews}. */
  public String resource() {
    return resource;
  }

  /** The string value, or {@code null} (recording a problem if it is present but not a string). */
  public String string() {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    problem("expected a string, found " + describe(value));
    return null;
  }

  /** The string value or {@code fallback} if absent. */
  public String string(String fallback) {
    String s = string();
    return s == null ? fallback : s;
  }

  /** The integer value, or {@code null} (recording a problem if it is present but not an integer). */
  public Integer integer() {
    if (value == null) {
      return null;
    }
    if (value instanceof Integer i) {
      return i;
    }
    if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    problem("expected an integer, found " + describe(value));
    return null;
  }

  /** The numeric value, or {@code null} (recording a problem if it is present but not a number). */
  public Double number() {
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    problem("expected a number, found " + describe(value));
    return null;
  }

  /**
   * The percentage here, {@code fallback} if absent, or {@code null} after recording a problem if
   * it is not a number from 0 to 100.
   */
  public Double percent(double fallback) {
    Double percent = number();
    if (percent == null) {
      return isMissing() ? fallback : null;
    }
    if (percent < 0 || percent > 100) {
      problem("a percentage must be from 0 to 100, found " + value);
      return null;
    }
    return percent;
  }

  /** The boolean value, {@code false} if absent (recording a problem if it is not a boolean). */
  public boolean bool() {
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value);
    }
    problem("expected true or false, found " + describe(value));
    return false;
  }

  /** The items of a list, empty if absent (recording a problem if it is not a list). */
  public List<Node> items() {
    List<Node> items = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        items.add(new Node(list.get(i), resource, path + "[" + i + "]", problems));
      }
    } else if (value != null) {
      problem("expected a list, found " + describe(value));
    }
    return items;
  }

  /** The entries of a mapping, in order, empty if absent (recording a problem if it is not a mapping). */
  public Map<String, Node> entries() {
    Map<String, Node> entries = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> entries.put(String.valueOf(k), new Node(v, resource, path + "." + k, problems)));
    } else if (value != null) {
      problem("expected a mapping, found " + describe(value));
    }
    return entries;
  }

  /** Records a problem for each key of this mapping outside {@code supported}. */
  public void rejectUnsupported(Set<String> supported, String why) {
    if (value instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!supported.contains(String.valueOf(key))) {
          new Node(null, resource, path + "." + key, problems).problem(why);
        }
      }
    }
  }

  /** Records a problem at this position. */
  public void problem(String message) {
    problems.add(resource + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  private static String describe(Object value) {
    return value instanceof Map ? "a mapping" : value instanceof List ? "a list" : "'" + value + "'";
  }
}
