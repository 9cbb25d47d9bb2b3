package dev.flagroute.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link JavaBlock} as a compilation unit in a package of its own ({@code readme.l<line>}). A
 * block that declares a type is compiled as written. Any other block is a run of statements: its
 * leading imports stay at the top, and the statements become the body of
 * {@code public static void run(<params>) throws Exception} in {@code public final class Snippet}.
 * Each line of the unit knows the Markdown line it came from, so compiler messages can name it.
 *
 * @param packageName the package of the unit
 * @param typeName the simple name of its first type, which names the file
 * @param lines the source lines
 * @param markdownLines for each source line, the Markdown line (1-based) it came from
 */
public record SnippetUnit(String packageName, String typeName, List<String> lines, List<Integer> markdownLines) {
  /** The class that wraps a statement block. */
  public static final String WRAPPER = "Snippet";
  /** The method of {@link #WRAPPER} whose body is a statement block. */
  public static final String METHOD = "run";

  private static final Pattern TYPE = Pattern.compile(
      "^(?:(?:public|protected|private|abstract|final|static|sealed|non-sealed)\\s+)*"
          + "(?:class|interface|enum|record|@interface)\\s+(\\w+).*");

  /** Copies the lists; rejects lists of different lengths. */
  public SnippetUnit {
    lines = List.copyOf(lines);
    markdownLines = List.copyOf(markdownLines);
    if (lines.size() != markdownLines.size()) {
      throw new IllegalArgumentException(lines.size() + " lines but " + markdownLines.size() + " line numbers");
    }
  }

  /** The unit for {@code block}. */
  public static SnippetUnit of(JavaBlock block) {
    String packageName = "readme.l" + block.line();
    int fence = block.line() - 1;
    List<String> lines = new ArrayList<>();
    List<Integer> origins = new ArrayList<>();
    add(lines, origins, "package " + packageName + ";", fence);
    String declared = declaredType(block.code());
    if (declared != null) {
      addBlock(lines, origins, block, 0, block.code().size());
      return new SnippetUnit(packageName, declared, lines, origins);
    }
    int body = 0;
    while (body < block.code().size() && isPreamble(block.code().get(body))) {
      body++;
    }
    addBlock(lines, origins, block, 0, body);
    add(lines, origins, "public final class " + WRAPPER + " {", fence);
    add(lines, origins, "  public static void " + METHOD + "(" + block.params() + ") throws Exception {",
        block.params().isEmpty() ? fence : fence - 1);
    addBlock(lines, origins, block, body, block.code().size());
    add(lines, origins, "  }", fence);
    add(lines, origins, "}", fence);
    return new SnippetUnit(packageName, WRAPPER, lines, origins);
  }

  /** The binary name of the class holding a statement block's {@link #METHOD}. */
  public String wrapperClassName() {
    return packageName + "." + WRAPPER;
  }

  /** The Markdown line of source line {@code line} (1-based), or of the nearest line if out of range. */
  public int markdownLine(long line) {
    int index = (int) Math.max(0, Math.min(markdownLines.size() - 1, line - 1));
    return markdownLines.get(index);
  }

  /** The source as one string. */
  public String source() {
    return String.join("\n", lines) + "\n";
  }

  /** The name of the first type a block declares at its top level, or null for a statement block. */
  private static String declaredType(List<String> code) {
    for (String line : code) {
      String stripped = line.strip();
      if (isPreamble(line) || stripped.startsWith("//") || stripped.startsWith("@")) {
        continue;
      }
      Matcher matcher = TYPE.matcher(line);
      return matcher.matches() ? matcher.group(1) : null;
    }
    return null;
  }

  private static boolean isPreamble(String line) {
    String stripped = line.strip();
    return stripped.isEmpty() || stripped.startsWith("import ");
  }

  private static void addBlock(List<String> lines, List<Integer> origins, JavaBlock block, int from, int to) {
    for (int i = from; i < to; i++) {
      add(lines, origins, block.code().get(i), block.line() + i);
    }
  }

  private static void add(List<String> lines, List<Integer> origins, String line, int origin) {
    lines.add(line);
    origins.add(origin);
  }
}
