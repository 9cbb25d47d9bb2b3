package dev.flagroute.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code flagroute} command line: dispatches on the first argument to a {@link Command}.
 *
 * <pre>{@code
 * java -jar flagroute-cli-<version>.jar generate istio --routes routes.yaml
 * }</pre>
 */
public final class Main {
  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("generate", new GenerateCommand());
    COMMANDS.put("check", new CheckCommand());
    COMMANDS.put("compat", new CompatCommand());
    COMMANDS.put("token", new TokenCommand());
    COMMANDS.put("rules", new RulesCommand());
  }

  private Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /**
   * Runs the command named by {@code args[0]} with the remaining arguments.
   *
   * @return the command's exit status; 2 for an unknown command or no command
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      err.print(usage());
      return 2;
    }
    String name = args.get(0);
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      out.print(usage());
      return 0;
    }
    Command command = COMMANDS.get(name);
    if (command == null) {
      err.println("flagroute: unknown command '" + name + "'");
      err.print(usage());
      return 2;
    }
    try {
      return command.run(args.subList(1, args.size()), out, err);
    } catch (NoClassDefFoundError e) {
      err.println("flagroute " + name + ": a library is missing from the class path (" + e.getMessage() + ")."
          + " Run the self-contained flagroute-cli-<version>.jar, which bundles every library it needs.");
      return 2;
    }
  }

  private static String usage() {
    StringBuilder usage = new StringBuilder("Usage: flagroute <command> [options]\n\nCommands:\n");
    COMMANDS.forEach((name, command) -> usage.append(String.format("  %-10s %s%n", name, command.summary())));
    usage.append("\nRun 'flagroute <command> --help' for a command's options.\n");
    return usage.toString();
  }
}
