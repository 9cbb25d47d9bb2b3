package dev.flagroute.cli;

/** Bad command-line input: the message says what is wrong, and the command exits with 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
