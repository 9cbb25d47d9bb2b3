package dev.flagroute.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the {@code ```java} blocks of a Markdown file. */
public final class MarkdownJavaBlocks {
  private static final String OPEN = "```java";
  private static final String CLOSE = "```";
  private static final Pattern PARAMS = Pattern.compile("<!--\\s*snippet-params:(.*)-->");

  private MarkdownJavaBlocks() {}

  /**
   * The {@code ```java} blocks of {@code markdown}, one element per line, in order.
   *
   * @throws IllegalArgumentException naming the line of a block that is never closed
   */
  public static List<JavaBlock> parse(List<String> markdown) {
    List<JavaBlock> blocks = new ArrayList<>();
    String heading = "";
    for (int i = 0; i < markdown.size(); i++) {
      String line = markdown.get(i);
      if (line.startsWith("## ")) {
        heading = line.substring(3).strip();
      }
      if (!line.strip().equals(OPEN)) {
        continue;
      }
      int close = i + 1;
      while (close < markdown.size() && !markdown.get(close).strip().equals(CLOSE)) {
        close++;
      }
      if (close == markdown.size()) {
        throw new IllegalArgumentException("line " + (i + 1) + ": the ```java block is never closed");
      }
      String params = i > 0 ? paramsIn(markdown.get(i - 1)) : "";
      blocks.add(new JavaBlock(i + 2, heading, params, markdown.subList(i + 1, close)));
      i = close;
    }
    return blocks;
  }

  /** The parameter declarations of a {@code snippet-params} comment, or empty if {@code line} is none. */
  private static String paramsIn(String line) {
    Matcher matcher = PARAMS.matcher(line.strip());
    return matcher.matches() ? matcher.group(1).strip() : "";
  }
}
