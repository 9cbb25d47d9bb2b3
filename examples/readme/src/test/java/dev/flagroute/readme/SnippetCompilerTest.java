package dev.flagroute.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippet checker fails on a broken snippet, naming the Markdown line and the compiler's message. */
class SnippetCompilerTest {
  @TempDir Path classes;

  @Test
  void aBrokenStatementIsReportedAtItsMarkdownLine() {
    List<SnippetProblem> problems = compile(
        "## Broken",                                 // 1
        "<!-- snippet-params: String name -->",      // 2
        "```java",                                   // 3
        "import java.util.List;",                    // 4
        "",                                          // 5
        "List<String> names = List.of(name);",       // 6
        "int size = names.length();",                // 7
        "```");

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.markdownLine()).isEqualTo(7);
      assertThat(problem.message()).contains("cannot find symbol").contains("length()");
      assertThat(problem.describe("README.md")).startsWith("README.md:7: cannot find symbol");
    });
  }

  @Test
  void statementsSeeTheirDeclaredParametersAndCompile() {
    assertThat(compile(
        "<!-- snippet-params: Map<String, String> headers, String user -->",
        "```java",
        "import java.util.Map;",
        "String plan = headers.getOrDefault(\"x-plan\", user);",
        "```")).isEmpty();
  }

  @Test
  void withoutParametersAVariableIsUnknown() {
    List<SnippetProblem> problems = compile(
        "```java",
        "String plan = headers.get(\"x-plan\");",
        "```");

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.markdownLine()).isEqualTo(2);
      assertThat(problem.message()).contains("cannot find symbol").contains("headers");
    });
  }

  @Test
  void aMissingImportFails() {
    assertThat(compile(
        "```java",
        "List<String> names = List.of();",
        "```")).isNotEmpty().allSatisfy(problem -> assertThat(problem.markdownLine()).isEqualTo(2));
  }

  @Test
  void aBadParameterTypeIsReportedAtTheParameterComment() {
    List<SnippetProblem> problems = compile(
        "text",
        "<!-- snippet-params: NoSuchType value -->",
        "```java",
        "System.out.println(value);",
        "```");

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.markdownLine()).isEqualTo(2);
      assertThat(problem.message()).contains("NoSuchType");
    });
  }

  @Test
  void aTypeDeclarationCompilesAsWritten() {
    List<String> markdown = List.of(
        "## Types",
        "```java",
        "import java.util.function.Supplier;",
        "",
        "@FunctionalInterface",
        "interface Greeter extends Supplier<String> {",
        "  default String greet() { return get() + \"!\"; }",
        "}",
        "```");

    List<SnippetUnit> units = MarkdownJavaBlocks.parse(markdown).stream().map(SnippetUnit::of).toList();

    assertThat(units).singleElement().satisfies(unit -> assertThat(unit.typeName()).isEqualTo("Greeter"));
    assertThat(TestClassPath.compiler().compile(units, classes)).isEmpty();
    assertThat(Files.exists(classes.resolve("readme/l3/Greeter.class"))).isTrue();
  }

  @Test
  void aTypeDeclarationWithAnErrorIsReportedAtItsLine() {
    List<SnippetProblem> problems = compile(
        "```java",
        "class Broken {",
        "  int twice(int x) { return x * 2 }",
        "}",
        "```");

    assertThat(problems).isNotEmpty().allSatisfy(problem -> assertThat(problem.markdownLine()).isEqualTo(3));
  }

  @Test
  void blocksKnowTheirHeadingAndOtherFencesAreIgnored() {
    List<JavaBlock> blocks = MarkdownJavaBlocks.parse(List.of(
        "## First",
        "```yaml",
        "a: 1",
        "```",
        "## Second",
        "```java",
        "int one = 1;",
        "```"));

    assertThat(blocks).singleElement().satisfies(block -> {
      assertThat(block.heading()).isEqualTo("Second");
      assertThat(block.line()).isEqualTo(7);
      assertThat(block.params()).isEmpty();
      assertThat(block.code()).containsExactly("int one = 1;");
    });
  }

  @Test
  void anUnclosedBlockIsAnErrorNamingItsLine() {
    assertThatThrownBy(() -> MarkdownJavaBlocks.parse(List.of("text", "```java", "int one = 1;")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
  }

  private List<SnippetProblem> compile(String... markdown) {
    List<SnippetUnit> units = MarkdownJavaBlocks.parse(List.of(markdown)).stream().map(SnippetUnit::of).toList();
    assertThat(units).isNotEmpty();
    return TestClassPath.compiler().compile(units, classes);
  }
}
