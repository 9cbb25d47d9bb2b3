package dev.flagroute.routes;

import java.util.List;

/**
 * Thrown when flag route definitions are invalid. The message names the source (a file, or
 * {@code "builder"}), the flag and every problem found, one per line.
 */
public final class InvalidRoutesException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Where the definitions came from. */
  private final String source;
  /** Each problem found. */
  private final List<String> problems;

  InvalidRoutesException(String source, List<String> problems) {
    super(source + ": invalid flag routes:\n  - " + String.join("\n  - ", problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** Where the definitions came from: a file path, or {@code "builder"}. */
  public String source() {
    return source;
  }

  /** Each problem found, in the form {@code flag 'key': what is wrong}. */
  public List<String> problems() {
    return problems;
  }
}
