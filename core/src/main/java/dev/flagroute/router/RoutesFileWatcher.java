package dev.flagroute.router;

import dev.flagroute.observe.RoutesChange;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a router's routes when its routes file changes, without a restart: the file is read every
 * {@code interval} on one daemon thread, and when its content differs from the last content seen,
 * it is parsed and put in force with {@link FlagRouter#reload(String, java.util.function.Supplier)}.
 * A file that does not parse or validate is refused (a warning, {@link RoutesChange} to the
 * listeners) and the routes in force stay; it is tried again only once its content changes again.
 *
 * <p>Polling the content rather than a {@link java.nio.file.WatchService}: Kubernetes updates a
 * mounted ConfigMap by swapping a symbolic link in the parent folder, which a watch on the file
 * never sees; watch services poll anyway on some platforms and miss events on network and overlay
 * file systems. Comparing a SHA-256 of the content ignores a touch and catches an edit within the
 * modification time's granularity. A file half written when read fails to parse and is refused;
 * the next poll reads the whole file, whose content differs, and puts it in force.
 *
 * <pre>{@code
 * FlagRoutes routes = FlagRoutesFile.load(file);
 * FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.RELAY).build();
 * RoutesFileWatcher watcher = RoutesFileWatcher.start(router, file, Duration.ofSeconds(5));
 * // ... watcher.close() at shutdown
 * }</pre>
 */
public final class RoutesFileWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoutesFileWatcher.class);
  private static final int MAX_FILE_BYTES = 1 << 20;
  private static final byte[] ABSENT = new byte[0];

  private final FlagRouter router;
  private final Path file;
  private final BiFunction<String, String, FlagRoutes> parser;
  private final ScheduledExecutorService timer;
  private byte[] seen;

  private RoutesFileWatcher(FlagRouter router, Path file, BiFunction<String, String, FlagRoutes> parser,
      ScheduledExecutorService timer) {
    this.router = router;
    this.file = file;
    this.parser = parser;
    this.timer = timer;
    this.seen = digest(read(file));
  }

  /**
   * Watches {@code file}, whose routes {@code router} was built with (its content now is taken as
   * the routes in force), checking it every {@code interval}.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public static RoutesFileWatcher start(FlagRouter router, Path file, Duration interval) {
    return start(router, file, interval, FlagRoutesFile::parse);
  }

  /**
   * As {@link #start(FlagRouter, Path, Duration)}, parsing the file's text with {@code parser} (the
   * text and the file's name in, the routes out; what it throws refuses the change) instead of
   * {@link FlagRoutesFile#parse}, such as a framework's own YAML parser.
   */
  public static RoutesFileWatcher start(FlagRouter router, Path file, Duration interval,
      BiFunction<String, String, FlagRoutes> parser) {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(parser, "parser");
    Objects.requireNonNull(file, "file");
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("routes file watch interval must be positive: " + interval);
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "flagroute-routes-watch");
      thread.setDaemon(true);
      return thread;
    });
    RoutesFileWatcher watcher = new RoutesFileWatcher(router, file, parser, timer);
    long millis = interval.toMillis();
    timer.scheduleWithFixedDelay(watcher::poll, millis, millis, TimeUnit.MILLISECONDS);
    log.info("watching routes file {} every {}", file, interval);
    return watcher;
  }

  /**
   * Checks the file now: the change made if its content differs from the last content seen (accepted
   * or refused), empty if it does not.
   */
  public synchronized Optional<RoutesChange> checkNow() {
    byte[] content = read(file);
    byte[] digest = digest(content);
    if (Arrays.equals(digest, seen)) {
      return Optional.empty();
    }
    seen = digest;
    return Optional.of(router.reload(file.toString(), () -> parse(content)));
  }

  private FlagRoutes parse(byte[] content) {
    if (content == ABSENT) {
      throw new UncheckedIOException(new IOException("routes file " + file + " is missing or cannot be read"));
    }
    if (content.length > MAX_FILE_BYTES) {
      throw new IllegalArgumentException("routes file " + file + " is larger than 1 MiB");
    }
    return parser.apply(new String(content, StandardCharsets.UTF_8), file.toString());
  }

  private void poll() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      log.warn("checking routes file {} failed; the routes in force stay: {}", file, e.toString());
    }
  }

  /** Stops watching; the routes in force stay. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** The file's bytes, at most one more than the bound, or {@link #ABSENT}. */
  private static byte[] read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException | UncheckedIOException e) {
      return ABSENT;
    }
  }

  private static byte[] digest(byte[] content) {
    if (content == ABSENT) {
      return ABSENT;
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
