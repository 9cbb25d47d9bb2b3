package dev.flagroute.cli;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of the {@code flagroute} command line. */
public interface Command {
  /** A one-line description for the top-level usage. */
  String summary();

  /**
   * Runs the command; {@code --help} prints its usage.
   *
   * @param args the arguments after the command name
   * @return the exit code: 0 for success, 1 for a negative result (such as drift), 2 for bad input
   */
  int run(List<String> args, PrintStream out, PrintStream err);
}
