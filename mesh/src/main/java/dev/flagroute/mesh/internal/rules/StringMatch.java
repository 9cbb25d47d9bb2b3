package dev.flagroute.mesh.internal.rules;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Locale;

/**
 * One parsed string condition: exact, prefix, suffix, RE2 regular expression (matching the whole
 * value, as Envoy does), or mere presence. Immutable and thread-safe; regexes run in linear time.
 * Internal to flagroute-mesh.
 */
public record StringMatch(Kind kind, String value, Pattern pattern, boolean ignoreCase) {
  /** How the value is compared. */
  public enum Kind {
    /** Equal to the value. */
    EXACT,
    /** Starts with the value. */
    PREFIX,
    /** Ends with the value. */
    SUFFIX,
    /** Matched whole by the RE2 expression. */
    REGEX,
    /** Present, whatever its value. */
    PRESENT
  }

  /** A presence condition. */
  public static StringMatch present() {
    return new StringMatch(Kind.PRESENT, "", null, false);
  }

  /** An exact condition. */
  public static StringMatch exact(String value, boolean ignoreCase) {
    return new StringMatch(Kind.EXACT, value, null, ignoreCase);
  }

  /** A prefix condition. */
  public static StringMatch prefix(String value, boolean ignoreCase) {
    return new StringMatch(Kind.PREFIX, value, null, ignoreCase);
  }

  /** A suffix condition. */
  public static StringMatch suffix(String value, boolean ignoreCase) {
    return new StringMatch(Kind.SUFFIX, value, null, ignoreCase);
  }

  /** A regex condition, or {@code null} after recording why {@code regex} is not valid RE2. */
  public static StringMatch regex(String regex, boolean ignoreCase, Node where) {
    try {
      return new StringMatch(Kind.REGEX, regex, Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0),
          ignoreCase);
    } catch (PatternSyntaxException e) {
      where.problem("not a valid RE2 regular expression: " + e.getMessage());
      return null;
    }
  }

  /** Whether {@code actual} (null when absent) satisfies this condition. */
  public boolean test(String actual) {
    if (actual == null) {
      return false;
    }
    return switch (kind) {
      case PRESENT -> true;
      case EXACT -> ignoreCase ? actual.equalsIgnoreCase(value) : actual.equals(value);
      case PREFIX -> actual.regionMatches(ignoreCase, 0, value, 0, value.length());
      case SUFFIX -> actual.length() >= value.length()
          && actual.regionMatches(ignoreCase, actual.length() - value.length(), value, 0, value.length());
      case REGEX -> pattern.matches(actual);
    };
  }

  /**
   * Whether {@code actual} satisfies this condition as linkerd2-proxy tests it: like
   * {@link #test}, except that a regex must have a leftmost-first match that spans the whole value
   * (which, for an alternation such as {@code a|ab} against {@code ab}, it may not).
   */
  public boolean testFound(String actual) {
    if (kind != Kind.REGEX || actual == null) {
      return test(actual);
    }
    Matcher matcher = pattern.matcher(actual);
    return matcher.find() && matcher.start() == 0 && matcher.end() == actual.length();
  }

  /** Whether every value satisfying {@code this} satisfies {@code other} too (a safe under-approximation). */
  public boolean implies(StringMatch other) {
    if (other.kind == Kind.PRESENT) {
      return true;
    }
    if (ignoreCase != other.ignoreCase && !other.ignoreCase) {
      return false;
    }
    return switch (kind) {
      case EXACT -> other.test(value);
      case PREFIX -> other.kind == Kind.PREFIX && (other.ignoreCase
          ? value.toLowerCase(Locale.ROOT).startsWith(other.value.toLowerCase(Locale.ROOT))
          : value.startsWith(other.value));
      case SUFFIX -> other.kind == Kind.SUFFIX && (other.ignoreCase
          ? value.toLowerCase(Locale.ROOT).endsWith(other.value.toLowerCase(Locale.ROOT))
          : value.endsWith(other.value));
      case REGEX -> other.kind == Kind.REGEX && value.equals(other.value);
      case PRESENT -> false;
    };
  }

  @Override
  public String toString() {
    return kind == Kind.PRESENT ? "present" : kind.name().toLowerCase(Locale.ROOT) + " '" + value + "'";
  }
}
