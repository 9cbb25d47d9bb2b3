package dev.flagroute.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The flagroute command line, the core jar's entry point: {@code java -jar flagroute-core.jar
 * <command> [options]}. Each command prints its own help with {@code --help}.
 */
public final class Main {
  private static final Map<String, CommandEntry> COMMANDS = commands();

  private Main() {}

  private static Map<String, CommandEntry> commands() {
    Map<String, CommandEntry> commands = new LinkedHashMap<>();
    commands.put("token", new CommandEntry("mint a signed override token that forces flag variants for testers",
        () -> new TokenCommand()::run));
    return commands;
  }

  /** Runs the command named by the first argument and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  /**
   * Runs the command named by {@code args.get(0)} with the remaining arguments.
   *
   * @return the exit status: 0 on success, 1 on failure, 2 on a usage error
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      usage(err);
      return 2;
    }
    String name = args.get(0);
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      usage(out);
      return 0;
    }
    CommandEntry command = COMMANDS.get(name);
    if (command == null) {
      err.println("flagroute: unknown command '" + name + "'");
      usage(err);
      return 2;
    }
    return command.factory().get().run(args.subList(1, args.size()), out, err);
  }

  private static void usage(PrintStream out) {
    out.println("Usage: flagroute <command> [options]   (each command has --help)");
    out.println();
    out.println("Commands:");
    COMMANDS.forEach((name, command) -> out.printf("  %-10s %s%n", name, command.summary()));
  }

  /** What every command does: runs with its arguments and returns an exit status. */
  @FunctionalInterface
  private interface Command {
    int run(List<String> args, PrintStream out, PrintStream err);
  }

  private record CommandEntry(String summary, Supplier<Command> factory) {}
}
