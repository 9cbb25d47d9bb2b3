package dev.flagroute.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every relative link in README.md and the {@code docs/} pages names a file or folder that exists. */
class MarkdownLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]+)(#[^)\\s]*)?\\)");

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.flagroute.readme.ReadmeSnippetsTest#markdownFiles")
  void everyRelativeLinkResolves(String file) throws IOException {
    Path page = ReadmeSnippetsTest.ROOT.resolve(file);
    List<String> broken = new ArrayList<>();
    List<String> lines = Files.readAllLines(page);
    for (int i = 0; i < lines.size(); i++) {
      Matcher link = LINK.matcher(lines.get(i));
      while (link.find()) {
        String target = link.group(1);
        if (!target.contains("://") && !target.startsWith("mailto:")
            && !Files.exists(page.getParent().resolve(target))) {
          broken.add(file + ":" + (i + 1) + ": " + target);
        }
      }
    }
    assertThat(broken).as("links to files that do not exist").isEmpty();
  }
}
