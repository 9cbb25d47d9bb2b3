package dev.flagroute.demo.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link Timeline} as one self-contained HTML file: the data as JSON inside the page, and
 * the CSS and the script that draws its SVG charts inline, so it opens from disk with no network.
 */
public final class HtmlReport {
  private static final String TEMPLATE = "report.html";
  private static final String PLACEHOLDER = "/*DATA*/";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private HtmlReport() {}

  /** The report of {@code timeline} as HTML. */
  public static String html(Timeline timeline) {
    // "</" would end the script element holding the data; "<\/" reads as the same JSON string
    String data = JSON.writeValueAsString(timeline.data()).replace("</", "<\\/");
    return template().replace(PLACEHOLDER, data);
  }

  /** Writes the report of {@code timeline} to {@code file}, creating its folder. */
  public static void write(Timeline timeline, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html(timeline), StandardCharsets.UTF_8);
  }

  private static String template() {
    try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("the report template " + TEMPLATE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
