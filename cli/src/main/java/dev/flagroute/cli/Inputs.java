package dev.flagroute.cli;

import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads command inputs, turning I/O failures into clear {@link UsageException}s. */
final class Inputs {
  private static final long MAX_FILE_BYTES = 4L << 20;

  private Inputs() {}

  /** The flag routes in {@code file}; invalid routes surface as {@code InvalidRoutesException}. */
  static FlagRoutes routes(String file) {
    try {
      return FlagRoutesFile.load(Path.of(file));
    } catch (UncheckedIOException e) {
      throw new UsageException(describe("--routes", file, e.getCause()));
    }
  }

  /** The text of {@code file}, named by {@code option} in errors. */
  static String text(String option, String file) {
    try {
      Path path = Path.of(file);
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new UsageException(option + " file " + file + " is larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException(describe(option, file, e));
    }
  }

  private static String describe(String option, String file, IOException e) {
    return "cannot read " + option + " file " + file + ": "
        + (e instanceof NoSuchFileException ? "no such file" : e.getClass().getSimpleName() + " " + e.getMessage());
  }
}
