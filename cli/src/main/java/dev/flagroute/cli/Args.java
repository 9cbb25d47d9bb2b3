package dev.flagroute.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value} or {@code --name=value} options, options
 * that take every following value up to the next option, {@code --help}, and positional words.
 */
final class Args {
  private final Map<String, List<String>> options = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();
  private boolean help;

  private Args() {}

  /**
   * Parses {@code args}.
   *
   * @param single options taking one value, e.g. {@code --routes}
   * @param multi options taking one or more values, e.g. {@code --mesh}
   * @throws UsageException on an unknown option, a missing value or a repeated single option
   */
  static Args parse(List<String> args, Set<String> single, Set<String> multi) {
    Args parsed = new Args();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        parsed.help = true;
        continue;
      }
      if (!arg.startsWith("--") || arg.equals("--")) {
        parsed.positional.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      List<String> values = new ArrayList<>();
      if (eq >= 0) {
        values.add(arg.substring(eq + 1));
      }
      if (single.contains(name)) {
        if (eq < 0 && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          values.add(args.get(++i));
        }
        if (values.size() != 1 || values.get(0).isEmpty()) {
          throw new UsageException("option " + name + " needs a value");
        }
        if (parsed.options.containsKey(name)) {
          throw new UsageException("option " + name + " is given twice");
        }
      } else if (multi.contains(name)) {
        while (eq < 0 && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          values.add(args.get(++i));
        }
        if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
          throw new UsageException("option " + name + " needs at least one value");
        }
      } else {
        throw new UsageException("unknown option '" + name + "'");
      }
      parsed.options.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values);
    }
    return parsed;
  }

  boolean help() {
    return help;
  }

  /** The value of a single option, or {@code null}. */
  String value(String name) {
    List<String> values = options.get(name);
    return values == null ? null : values.get(0);
  }

  /** The value of a single option that must be given. */
  String required(String name) {
    String value = value(name);
    if (value == null) {
      throw new UsageException("option " + name + " is required");
    }
    return value;
  }

  /** Every value of a multi option, possibly empty. */
  List<String> values(String name) {
    return options.getOrDefault(name, List.of());
  }

  List<String> positional() {
    return positional;
  }
}
