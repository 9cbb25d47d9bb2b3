package dev.flagroute.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;

/** A real servlet container, started on a loopback port with one application. */
interface EmbeddedContainer extends AutoCloseable {
  /** The location of every error page: uncaught exceptions and status 500 dispatch there. */
  String ERROR_PAGE = "/error";

  /** Starts {@code app} at the root context and returns its base URI. */
  URI start(ServletContainerInitializer app) throws Exception;

  /** Stops the container. */
  @Override
  void close() throws Exception;
}
