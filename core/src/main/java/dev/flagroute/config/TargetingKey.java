package dev.flagroute.config;

import java.util.Locale;

/**
 * Where an inbound request's OpenFeature targeting key comes from, as configured; each adapter
 * reads it from its own request type.
 *
 * @param source the kind of source
 * @param name the header, cookie or class name; empty for {@code none} and {@code principal}
 */
public record TargetingKey(Source source, String name) {
  /** No targeting key. */
  public static final TargetingKey NONE = new TargetingKey(Source.NONE, "");

  /** The kinds of source. */
  public enum Source {
    /** Requests are evaluated without a targeting key. */
    NONE,
    /** A request header. */
    HEADER,
    /** A cookie. */
    COOKIE,
    /** The authenticated principal's name. */
    PRINCIPAL,
    /** An application class that reads it, with a public no-argument constructor. */
    CLASS
  }

  /** Parses {@code header:NAME}, {@code cookie:NAME}, {@code principal}, {@code class:FQCN} or {@code none}. */
  static TargetingKey parse(String text) {
    int colon = text.indexOf(':');
    String kind = (colon < 0 ? text : text.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    String name = colon < 0 ? "" : text.substring(colon + 1).strip();
    Source source;
    try {
      source = Source.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be header:<name>, cookie:<name>, principal, class:<name> or none,"
          + " was '" + text + "'");
    }
    boolean named = source == Source.HEADER || source == Source.COOKIE || source == Source.CLASS;
    if (named == name.isEmpty()) {
      throw new IllegalArgumentException(named ? "'" + kind + "' needs a name, e.g. '" + kind + ":"
          + (source == Source.CLASS ? "com.example.UserKeys" : "x-user-id") + "'"
          : "'" + kind + "' takes no name, was '" + text + "'");
    }
    return new TargetingKey(source, name);
  }

  @Override
  public String toString() {
    return name.isEmpty() ? source.name().toLowerCase(Locale.ROOT) : source.name().toLowerCase(Locale.ROOT) + ":" + name;
  }
}
