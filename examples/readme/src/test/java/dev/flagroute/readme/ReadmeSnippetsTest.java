package dev.flagroute.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@code ```java} block of README.md shows its imports and compiles against the published modules. */
class ReadmeSnippetsTest {
  static final Path README = Path.of("../../README.md");

  @Test
  void everyJavaSnippetCompiles(@TempDir Path classes) throws IOException {
    List<JavaBlock> blocks = readmeBlocks();
    List<SnippetUnit> units = blocks.stream().map(SnippetUnit::of).toList();

    List<SnippetProblem> problems = TestClassPath.compiler().compile(units, classes);

    assertThat(problems).as("README.md snippets that do not compile:%n%s", problems.stream()
        .map(p -> p.describe("README.md")).collect(Collectors.joining("\n"))).isEmpty();
  }

  @Test
  void everyJavaSnippetShowsItsImports() throws IOException {
    assertThat(readmeBlocks()).allSatisfy(block -> assertThat(block.code())
        .as("the ```java block at README.md:%d imports what it uses", block.line())
        .anyMatch(line -> line.startsWith("import ")));
  }

  static List<JavaBlock> readmeBlocks() throws IOException {
    assertThat(README).as("%s", README.toAbsolutePath().normalize()).exists();
    List<JavaBlock> blocks = MarkdownJavaBlocks.parse(Files.readAllLines(README));
    assertThat(blocks).as("```java blocks in README.md").isNotEmpty();
    return blocks;
  }
}
