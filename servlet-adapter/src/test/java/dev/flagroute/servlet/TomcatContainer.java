package dev.flagroute.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.descriptor.web.ErrorPage;

/** Embedded Tomcat 11 (Servlet 6.1). */
final class TomcatContainer implements EmbeddedContainer {
  /** Tomcat logs through java.util.logging; held so the level set here is not garbage collected. */
  private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

  static {
    TOMCAT_LOG.setLevel(Level.WARNING);
  }

  private final Tomcat tomcat = new Tomcat();
  private Path baseDir;

  @Override
  public URI start(ServletContainerInitializer app) throws Exception {
    baseDir = Files.createTempDirectory("flagroute-tomcat");
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    // Tomcat drops request trailers it is not told to allow; allow those the scenarios send.
    connector.setProperty("allowedTrailerHeaders", String.join(",", FlagRoutingScenarios.TRAILERS_SENT));
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", baseDir.toAbsolutePath().toString());
    context.addServletContainerInitializer(app, null);
    context.addErrorPage(errorPage(Throwable.class.getName(), 0));
    context.addErrorPage(errorPage(null, 500));
    tomcat.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  private static ErrorPage errorPage(String exceptionType, int code) {
    ErrorPage page = new ErrorPage();
    if (exceptionType != null) {
      page.setExceptionType(exceptionType);
    } else {
      page.setErrorCode(code);
    }
    page.setLocation(ERROR_PAGE);
    return page;
  }

  @Override
  public void close() throws Exception {
    tomcat.stop();
    tomcat.destroy();
    if (baseDir != null) {
      try (Stream<Path> files = Files.walk(baseDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(TomcatContainer::delete);
      }
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return ServerInfo.getServerInfo();
  }
}
