package dev.flagroute.demo.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, run headless on a local file with a fresh profile and nothing that
 * reaches the network of its own accord; the page's console goes to standard error.
 */
public final class HeadlessChromium {
  private final Path binary;
  private final Path work;

  private HeadlessChromium(Path binary, Path work) {
    this.binary = binary;
    this.work = work;
  }

  /** The chromium on the PATH, if installed, keeping its profiles and output below {@code work}. */
  public static Optional<HeadlessChromium> find(Path work) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator)).filter(entry -> !entry.isEmpty())
        .flatMap(entry -> Stream.of(Path.of(entry, "chromium"), Path.of(entry, "chromium-browser")))
        .filter(Files::isExecutable).findFirst().map(binary -> new HeadlessChromium(binary, work));
  }

  /**
   * Loads {@code page} in a {@code width} x {@code height} window and returns the DOM after its
   * scripts ran, and what the browser logged.
   */
  public Result dumpDom(Path page, int width, int height) throws IOException, InterruptedException {
    return run(page, "--dump-dom", "--window-size=" + width + "," + height, "--hide-scrollbars");
  }

  /** Loads {@code page} in a {@code width} x {@code height} window and saves a PNG screenshot of it. */
  public Result screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
    return run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars");
  }

  private Result run(Path page, String... options) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(work, "profile");
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--force-device-scale-factor=1", "--enable-logging=stderr", "--v=0",
        "--user-data-dir=" + profile));
    command.addAll(List.of(options));
    command.add(page.toAbsolutePath().toUri().toString());
    Path out = work.resolve(profile.getFileName() + ".out");
    Path err = work.resolve(profile.getFileName() + ".err");
    Process process = new ProcessBuilder(command).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int status = process.waitFor();
    return new Result(status, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err,
        StandardCharsets.UTF_8));
  }

  /** A finished browser run: its exit status, standard output and standard error. */
  public record Result(int status, String out, String err) {
    /** The lines the page wrote to its console (errors, uncaught exceptions, logs). */
    public List<String> console() {
      return err.lines().filter(line -> line.contains(":CONSOLE")).toList();
    }
  }
}
