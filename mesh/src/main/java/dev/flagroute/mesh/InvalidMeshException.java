package dev.flagroute.mesh;

import java.util.List;

/**
 * Thrown when mesh YAML cannot be read or evaluated. The message names the source and every
 * problem found, one per line, each with the resource and the path of the bad field.
 */
public final class InvalidMeshException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  InvalidMeshException(String source, List<String> problems) {
    super(source + ": invalid mesh rules:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem found, e.g. {@code VirtualService reviews: spec.http[0].match[0].uri: expected a mapping}. */
  public List<String> problems() {
    return problems;
  }
}
