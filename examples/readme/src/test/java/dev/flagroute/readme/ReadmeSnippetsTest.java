package dev.flagroute.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ```java} block of README.md and of each page under {@code docs/} shows its imports
 * and compiles against the published modules.
 */
class ReadmeSnippetsTest {
  static final Path ROOT = Path.of("../..");

  @ParameterizedTest(name = "{0}")
  @MethodSource("markdownFiles")
  void everyJavaSnippetCompiles(String file, @TempDir Path classes) throws IOException {
    List<SnippetUnit> units = blocks(file).stream().map(SnippetUnit::of).toList();

    List<SnippetProblem> problems = units.isEmpty() ? List.of() : TestClassPath.compiler().compile(units, classes);

    assertThat(problems).as("%s snippets that do not compile:%n%s", file, problems.stream()
        .map(p -> p.describe(file)).collect(Collectors.joining("\n"))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("markdownFiles")
  void everyJavaSnippetShowsItsImports(String file) throws IOException {
    assertThat(blocks(file)).allSatisfy(block -> assertThat(block.code())
        .as("the ```java block at %s:%d imports what it uses", file, block.line())
        .anyMatch(line -> line.startsWith("import ")));
  }

  @Test
  void theReadmeAndTheDocsHaveJavaBlocks() throws IOException {
    assertThat(readmeBlocks()).as("```java blocks in README.md").isNotEmpty();
    List<JavaBlock> docs = markdownFiles().filter(file -> file.startsWith("docs/"))
        .flatMap(file -> blocks(file).stream()).toList();
    assertThat(docs).as("```java blocks in docs/").isNotEmpty();
  }

  /** README.md and every {@code docs/*.md} page, as paths from the repository root. */
  static Stream<String> markdownFiles() throws IOException {
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      List<String> pages = docs.map(page -> "docs/" + page.getFileName())
          .filter(name -> name.endsWith(".md")).sorted().toList();
      return Stream.concat(Stream.of("README.md"), pages.stream());
    }
  }

  static List<JavaBlock> readmeBlocks() throws IOException {
    return blocks("README.md");
  }

  /** The {@code ```java} blocks of {@code file}, a path from the repository root. */
  static List<JavaBlock> blocks(String file) {
    Path path = ROOT.resolve(file);
    assertThat(path).as("%s", path.toAbsolutePath().normalize()).exists();
    try {
      return MarkdownJavaBlocks.parse(Files.readAllLines(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
