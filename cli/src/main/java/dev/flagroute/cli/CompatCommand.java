package dev.flagroute.cli;

import dev.flagroute.cli.RoutesCompatibility.Finding;
import dev.flagroute.cli.RoutesCompatibility.Order;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.InvalidRoutesException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code flagroute compat OLD NEW}: says whether changing the routes from OLD to NEW is safe in any
 * deployment order, and if not, the order that keeps one cohort on every hop.
 */
public final class CompatCommand implements Command {
  private static final String USAGE = """
      Usage: flagroute compat OLD NEW

      Compares two routes files (YAML or JSON) and says whether the change from OLD to NEW is safe
      in any deployment order of the edge, the relays and the mesh rules. If it is not, it prints
      the order that keeps every hop consistent: to add a flag or a variant, mesh rules and relays
      first, then the edge; to remove one, the edge first. A change that both adds and removes must
      be split in two deployments. One line per difference, then the verdict.

      Options:
        --help    this text

      Exit status: 0 safe in any order, 1 an order is needed (printed), 2 bad input.
      """;

  @Override
  public String summary() {
    return "say whether a routes change is safe in any deployment order, or which order";
  }

  @Override
  public int run(List<String> arguments, PrintStream out, PrintStream err) {
    try {
      Args args = Args.parse(arguments, Set.of(), Set.of());
      if (args.help()) {
        out.print(USAGE);
        return 0;
      }
      if (args.positional().size() != 2) {
        throw new UsageException("expected two routes files, OLD and NEW; got " + args.positional().size());
      }
      FlagRoutes before = Inputs.routes(args.positional().get(0));
      FlagRoutes after = Inputs.routes(args.positional().get(1));
      List<Finding> findings = RoutesCompatibility.compare(before, after);
      findings.forEach(out::println);
      return verdict(RoutesCompatibility.needs(findings), findings.isEmpty(), out);
    } catch (UsageException | InvalidRoutesException e) {
      err.println("flagroute compat: " + e.getMessage());
      err.println("Run 'flagroute compat --help' for usage.");
      return 2;
    }
  }

  private static int verdict(Set<Order> needs, boolean same, PrintStream out) {
    if (needs.isEmpty()) {
      out.println(same ? "no change to routing: safe in any order" : "safe in any deployment order");
      return 0;
    }
    if (needs.contains(Order.EDGE_LAST) && needs.contains(Order.EDGE_FIRST)) {
      out.println("not safe in one deployment: it adds and removes. Split it: first deploy the additions (mesh"
          + " rules and relays first, then the edge), then the removals (the edge first, then relays and mesh"
          + " rules).");
      return 1;
    }
    StringBuilder order = new StringBuilder("not safe in any order. Deploy: ");
    if (needs.contains(Order.WORKLOADS_FIRST)) {
      order.append("workloads with the new version labels; then ");
    }
    if (needs.contains(Order.EDGE_LAST)) {
      order.append("mesh rules and relays, then the edge.");
    } else if (needs.contains(Order.EDGE_FIRST)) {
      order.append("the edge, then relays and mesh rules.");
    } else {
      order.append("mesh rules and relays in one step; the edge in any order.");
    }
    if (needs.contains(Order.RULES_WITH_RELAYS) && (needs.contains(Order.EDGE_LAST)
        || needs.contains(Order.EDGE_FIRST))) {
      order.append(" Apply mesh rules and relays in one step.");
    }
    out.println(order);
    return 1;
  }
}
