package dev.flagroute.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Checks a demo report as a reader sees it: self-contained (nothing fetched from anywhere), and in
 * headless Chromium it renders with no console message, every chart is drawn, and the screenshot
 * shows each chart's series in their colours.
 */
public final class ReportInBrowser {
  /** The window the screenshot is taken in: every chart lies inside it. */
  public static final int WIDTH = 1280;
  /** The window's height. */
  public static final int HEIGHT = 1100;

  /** Each chart to the colours (RGB) its series must show, with the fewest pixels of each. */
  private static final Map<String, List<Integer>> SERIES = Map.of(
      "share-new-reviews", List.of(0x4e79a7, 0xf28e2b),
      "share-ratings-model", List.of(0x4e79a7, 0xf28e2b),
      "ramp", List.of(0xfbd3ad, 0xf28e2b, 0x7a3d06, 0xe15759));
  private static final int MIN_PIXELS = 40;
  private static final Pattern BOX = Pattern.compile("data-chart=\"([^\"]+)\" data-box=\"(\\d+),(\\d+),(\\d+),(\\d+)\"");

  private ReportInBrowser() {}

  /** The browser, or empty (with the reason printed by the caller) when chromium is not installed. */
  public static Optional<HeadlessChromium> chromium(Path work) {
    return HeadlessChromium.find(work);
  }

  /** Asserts that {@code report} references nothing outside itself. */
  public static void assertSelfContained(Path report) throws IOException {
    String html = Files.readString(report, StandardCharsets.UTF_8);
    assertThat(html).doesNotContainPattern("(?i)<(script|img|iframe|link|source)[^>]+(src|href)=")
        .doesNotContainPattern("(?i)url\\(").doesNotContainPattern("(?i)@import")
        .doesNotContainPattern("(?i)(fetch|XMLHttpRequest|WebSocket)\\s*\\(");
    // the one URL is the SVG namespace, an identifier that is never fetched
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContainPattern("(?i)https?://");
  }

  /**
   * Renders {@code report} and checks it, saving the screenshot as {@code png}.
   *
   * @return the chart boxes found, by chart name
   */
  public static Map<String, int[]> assertRendersWithItsCharts(HeadlessChromium chromium, Path report, Path png)
      throws IOException, InterruptedException {
    // the same window as the screenshot's, so that the boxes read from the DOM are where the charts are drawn
    HeadlessChromium.Result dom = chromium.dumpDom(report, WIDTH, HEIGHT);
    assertThat(dom.status()).as(dom.err()).isZero();
    assertThat(dom.console()).as("the page's console").isEmpty();
    assertThat(dom.out()).contains("data-rendered=\"ok\"").contains("<pre id=\"errors\"></pre>")
        .contains("PASS: all ");
    Map<String, int[]> boxes = new LinkedHashMap<>();
    Matcher box = BOX.matcher(dom.out());
    while (box.find()) {
      boxes.put(box.group(1), new int[] {Integer.parseInt(box.group(2)), Integer.parseInt(box.group(3)),
          Integer.parseInt(box.group(4)), Integer.parseInt(box.group(5))});
    }
    assertThat(boxes).as("charts drawn").containsOnlyKeys(SERIES.keySet());

    HeadlessChromium.Result shot = chromium.screenshot(report, png, WIDTH, HEIGHT);
    assertThat(shot.status()).as(shot.err()).isZero();
    assertThat(shot.console()).as("the page's console").isEmpty();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(WIDTH);
    for (Map.Entry<String, int[]> chart : boxes.entrySet()) {
      int[] b = chart.getValue();
      assertThat(b[0] + b[2]).as("%s inside the screenshot", chart.getKey()).isLessThanOrEqualTo(image.getWidth());
      assertThat(b[1] + b[3]).as("%s inside the screenshot", chart.getKey()).isLessThanOrEqualTo(image.getHeight());
      Map<Integer, Integer> counts = new LinkedHashMap<>();
      int drawn = 0;
      for (int x = b[0]; x < b[0] + b[2]; x++) {
        for (int y = b[1]; y < b[1] + b[3]; y++) {
          int rgb = image.getRGB(x, y) & 0xffffff;
          if (rgb != 0xffffff) {
            drawn++;
          }
          counts.merge(rgb, 1, Integer::sum);
        }
      }
      assertThat(drawn).as("%s is not blank", chart.getKey()).isGreaterThan(b[2] * b[3] / 20);
      for (int colour : SERIES.get(chart.getKey())) {
        assertThat(counts.getOrDefault(colour, 0)).as("pixels of #%06x in %s", colour, chart.getKey())
            .isGreaterThanOrEqualTo(MIN_PIXELS);
      }
    }
    return boxes;
  }
}
