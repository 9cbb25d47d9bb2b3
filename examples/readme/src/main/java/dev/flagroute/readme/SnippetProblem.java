package dev.flagroute.readme;

/**
 * A compiler error in a snippet.
 *
 * @param markdownLine the Markdown line (1-based) the error is on
 * @param message the compiler's message
 */
public record SnippetProblem(int markdownLine, String message) {
  /** {@code <file>:<line>: <message>}, as compilers print it. */
  public String describe(String file) {
    return file + ":" + markdownLine + ": " + message;
  }
}
