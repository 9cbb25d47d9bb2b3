package dev.flagroute.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@code ```java} block of docs/messaging.md shows its imports and compiles against the published modules. */
class MessagingDocSnippetsTest {
  static final Path PAGE = Path.of("../../docs/messaging.md");

  @Test
  void everyJavaSnippetCompilesAndShowsItsImports(@TempDir Path classes) throws IOException {
    assertThat(PAGE).as("%s", PAGE.toAbsolutePath().normalize()).exists();
    List<JavaBlock> blocks = MarkdownJavaBlocks.parse(Files.readAllLines(PAGE));
    assertThat(blocks).as("```java blocks in docs/messaging.md").isNotEmpty();
    assertThat(blocks).allSatisfy(block -> assertThat(block.code())
        .as("the ```java block at docs/messaging.md:%d imports what it uses", block.line())
        .anyMatch(line -> line.startsWith("import ")));

    List<SnippetProblem> problems = TestClassPath.compiler().compile(blocks.stream().map(SnippetUnit::of).toList(),
        classes);

    assertThat(problems).as("docs/messaging.md snippets that do not compile:%n%s", problems.stream()
        .map(p -> p.describe("docs/messaging.md")).collect(Collectors.joining("\n"))).isEmpty();
  }
}
