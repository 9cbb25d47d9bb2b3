package dev.flagroute.demo.run;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * A private copy of the committed flags file, which flagd reads in offline mode and the demo
 * edits; the committed file is never written. Closing it deletes the copy.
 */
final class FlagsFile implements AutoCloseable {
  /** How often flagd looks for changes to the copy. */
  static final int POLL_MILLIS = 100;
  /** How long flagd may take to read the file at start, on a cold JVM and a slow machine. */
  private static final int INIT_DEADLINE_MILLIS = 10_000;

  /** One textual change to {@code flag}, described by {@code what}: {@code from} must occur exactly once in the file. */
  record Edit(String flag, String what, String from, String to) {}

  private final Path dir;
  private final Path file;

  private FlagsFile(Path dir, Path file) {
    this.dir = dir;
    this.file = file;
  }

  /** Copies {@code committed} into a fresh temporary directory. */
  static FlagsFile copyOf(Path committed) throws IOException {
    Path dir = Files.createTempDirectory("flagroute-demo-");
    Path file = dir.resolve(committed.getFileName());
    Files.copy(committed, file);
    return new FlagsFile(dir, file);
  }

  /** The copy. */
  Path path() {
    return file;
  }

  /** A flagd provider reading the copy in offline (file) mode, polling it every {@value #POLL_MILLIS} ms. */
  FlagdProvider provider() {
    return flagd(file, POLL_MILLIS);
  }

  /** A flagd provider reading {@code file} in offline (file) mode, polling it every {@code pollMillis} ms. */
  static FlagdProvider flagd(Path file, int pollMillis) {
    return new FlagdProvider(FlagdOptions.builder()
        .resolverType(Config.Resolver.FILE)
        .offlineFlagSourcePath(file.toString())
        .offlinePollIntervalMs(pollMillis)
        .deadline(INIT_DEADLINE_MILLIS)
        .build());
  }

  /**
   * Applies {@code edits} and replaces the copy in one atomic move, with a modification time
   * later than the previous one so the poller sees the change.
   *
   * @throws IllegalStateException if some {@code from} does not occur exactly once
   */
  void apply(List<Edit> edits) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    for (Edit edit : edits) {
      int at = text.indexOf(edit.from());
      if (at < 0 || text.indexOf(edit.from(), at + 1) >= 0) {
        throw new IllegalStateException("the flags file must contain '" + edit.from() + "' exactly once for the"
            + " edit of " + edit.flag() + "; the demo's scenarios expect the committed flags.flagd.json");
      }
      text = text.replace(edit.from(), edit.to());
    }
    FileTime before = Files.getLastModifiedTime(file);
    Path next = dir.resolve(file.getFileName() + ".next");
    Files.writeString(next, text, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(next, FileTime.fromMillis(Math.max(System.currentTimeMillis(), before.toMillis() + 1000)));
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(dir.resolve(file.getFileName() + ".next"));
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }
}
