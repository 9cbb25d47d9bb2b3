package dev.flagroute.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles {@link SnippetUnit}s with the platform's Java compiler, reporting errors by Markdown line. */
public final class SnippetCompiler {
  private final String classPath;

  /** A compiler that resolves the snippets' imports on {@code classPath} (entries separated by the path separator). */
  public SnippetCompiler(String classPath) {
    this.classPath = Objects.requireNonNull(classPath, "classPath");
  }

  /**
   * Compiles {@code units} together into {@code outputDir}; returns every error, in the order the
   * compiler reported them, or an empty list if all compiled.
   *
   * @throws IllegalStateException if the running Java has no compiler (a JRE, not a JDK)
   */
  public List<SnippetProblem> compile(List<SnippetUnit> units, Path outputDir) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home") + "; run on a JDK");
    }
    Map<JavaFileObject, SnippetUnit> sources = new IdentityHashMap<>();
    for (SnippetUnit unit : units) {
      sources.put(new Source(unit), unit);
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options = List.of("-classpath", classPath, "-d", outputDir.toString(), "-proc:none", "-nowarn",
        "-encoding", "UTF-8");
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      compiler.getTask(null, files, diagnostics, options, null, sources.keySet()).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<SnippetProblem> problems = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
      if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
        SnippetUnit unit = sources.get(diagnostic.getSource());
        int line = unit == null ? 0 : unit.markdownLine(diagnostic.getLineNumber());
        problems.add(new SnippetProblem(line, diagnostic.getMessage(Locale.ROOT)));
      }
    }
    return problems;
  }

  /** A unit's source held in memory. */
  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(SnippetUnit unit) {
      super(URI.create("string:///" + unit.packageName().replace('.', '/') + "/" + unit.typeName() + ".java"),
          Kind.SOURCE);
      this.code = unit.source();
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
