package dev.flagroute.readme;

import java.util.List;
import java.util.Objects;

/**
 * One {@code ```java} block of a Markdown file.
 *
 * @param line the Markdown line (1-based) of the block's first code line
 * @param heading the nearest {@code ## } heading above the block, without the hashes; empty if none
 * @param params the parameter declarations of a statement block, from an invisible
 *     {@code <!-- snippet-params: Type name, ... -->} comment on the line just before the fence;
 *     empty if there is none
 * @param code the lines between the fences, as written
 */
public record JavaBlock(int line, String heading, String params, List<String> code) {
  /** Copies {@code code}; rejects nulls and a line before the first. */
  public JavaBlock {
    if (line < 1) {
      throw new IllegalArgumentException("line must be 1 or more, not " + line);
    }
    Objects.requireNonNull(heading, "heading");
    Objects.requireNonNull(params, "params");
    code = List.copyOf(code);
  }
}
