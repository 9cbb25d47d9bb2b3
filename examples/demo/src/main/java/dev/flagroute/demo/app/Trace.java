package dev.flagroute.demo.app;

import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one request through the demo shop did: the variants the edge decided and every hop behind
 * it. Services append their lines to the response body, so the caller sees the whole path:
 *
 * <pre>
 * edge new-reviews=redesign EVALUATED TARGETING_MATCH
 * hop reviews v2 new-reviews=redesign,ratings-model=ml
 * hop ratings v2 new-reviews=redesign,ratings-model=ml
 * </pre>
 *
 * @param decided flag key to the edge's decision, in route order
 * @param hops the services behind the edge, in call order
 */
public record Trace(Map<String, FlagDecision> decided, List<Hop> hops) {
  private static final int MAX_LINES = 64;

  /** Copies both. */
  public Trace {
    decided = Collections.unmodifiableMap(new LinkedHashMap<>(decided));
    hops = List.copyOf(hops);
  }

  /** The lines for the edge's decisions. */
  public static String edgeLines(Map<String, FlagDecision> decided) {
    StringBuilder lines = new StringBuilder();
    decided.forEach((flag, d) -> lines.append("edge ").append(flag).append('=').append(d.variant()).append(' ')
        .append(d.source()).append(' ').append(d.reason()).append('\n'));
    return lines.toString();
  }

  /** The line for one hop. */
  public static String hopLine(Hop hop) {
    StringBuilder flags = new StringBuilder();
    hop.flags().forEach((k, v) -> flags.append(flags.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return "hop " + hop.service() + " " + hop.version() + " " + (flags.length() == 0 ? "-" : flags) + "\n";
  }

  /** The hop of {@code service}, or {@code null} if the request did not reach it. */
  public Hop hop(String service) {
    return hops.stream().filter(h -> h.service().equals(service)).findFirst().orElse(null);
  }

  /**
   * Reads a response body written with {@link #edgeLines} and {@link #hopLine}.
   *
   * @throws IllegalArgumentException naming the first line that is not in that form
   */
  public static Trace parse(String body) {
    Map<String, FlagDecision> decided = new LinkedHashMap<>();
    List<Hop> hops = new ArrayList<>();
    String[] lines = body.strip().split("\n", MAX_LINES + 1);
    if (lines.length > MAX_LINES) {
      throw new IllegalArgumentException("trace has more than " + MAX_LINES + " lines");
    }
    for (String line : lines) {
      String[] parts = line.strip().split(" ");
      if (parts.length == 4 && parts[0].equals("edge") && parts[1].contains("=")) {
        String[] flag = parts[1].split("=", 2);
        decided.put(flag[0], new FlagDecision(flag[1], Source.valueOf(parts[2]), parts[3]));
      } else if (parts.length == 4 && parts[0].equals("hop")) {
        hops.add(new Hop(parts[1], parts[2], variants(parts[3])));
      } else {
        throw new IllegalArgumentException("not a trace line: '" + line + "'");
      }
    }
    return new Trace(decided, hops);
  }

  private static Map<String, String> variants(String text) {
    Map<String, String> variants = new LinkedHashMap<>();
    if (!text.equals("-")) {
      for (String pair : text.split(",")) {
        String[] kv = pair.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("not a flag=variant pair: '" + pair + "'");
        }
        variants.put(kv[0], kv[1]);
      }
    }
    return variants;
  }
}
