package dev.flagroute.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers, booleans and nulls as indented JSON (RFC 8259), for the
 * Grafana dashboard; the one JSON the command writes does not justify bundling a JSON library. A
 * lone surrogate, which is no Unicode character, is written as U+FFFD.
 */
final class Json {
  private Json() {}

  /** {@code value} as JSON, two spaces per level, ending with a newline. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, "");
    return out.append('\n').toString();
  }

  private static void write(Object value, StringBuilder out, String indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      string(text, out);
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (!Double.isFinite(number)) {
        throw new IllegalArgumentException("JSON has no " + number);
      }
      out.append(Double.toString(number));
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      container(map.entrySet().iterator(), '{', '}', out, indent, (entry, inner) -> {
        string(String.valueOf(((Map.Entry<?, ?>) entry).getKey()), out);
        out.append(": ");
        write(((Map.Entry<?, ?>) entry).getValue(), out, inner);
      });
    } else if (value instanceof List<?> list) {
      container(list.iterator(), '[', ']', out, indent, (item, inner) -> write(item, out, inner));
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }

  private interface Member {
    void write(Object member, String indent);
  }

  private static void container(Iterator<?> members, char open, char close, StringBuilder out, String indent,
      Member member) {
    out.append(open);
    if (!members.hasNext()) {
      out.append(close);
      return;
    }
    String inner = indent + "  ";
    while (members.hasNext()) {
      out.append('\n').append(inner);
      member.write(members.next(), inner);
      if (members.hasNext()) {
        out.append(',');
      }
    }
    out.append('\n').append(indent).append(close);
  }

  private static void string(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
        continue;
      }
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isSurrogate(c)) {
            out.append('\ufffd'); // a lone surrogate is no character: JSON readers refuse it
          } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
