package dev.flagroute.internal;

/**
 * Header names compared as HTTP compares them: ASCII letters ignoring case, every other char
 * exactly (no char folds onto an ASCII one, as the Kelvin sign folds onto {@code 'k'} and the long
 * s onto {@code 's'} in {@link String#equalsIgnoreCase}). Not API.
 */
public final class AsciiNames {
  private AsciiNames() {}

  /** Whether {@code a} and {@code b} are the same name; false if either is null. */
  public static boolean same(String a, String b) {
    return a != null && b != null && a.length() == b.length() && regionSame(a, 0, b, a.length());
  }

  /** Whether {@code name} starts with {@code prefix}, in any ASCII case. */
  public static boolean startsWith(String name, String prefix) {
    return name.length() >= prefix.length() && regionSame(name, 0, prefix, prefix.length());
  }

  /** Whether the {@code length} chars of {@code s} from {@code from} spell the start of {@code name}. */
  public static boolean regionSame(String s, int from, String name, int length) {
    for (int i = 0; i < length; i++) {
      char a = s.charAt(from + i);
      char b = name.charAt(i);
      if (a != b && !(isLetter(a) && (a ^ b) == 0x20)) {
        return false;
      }
    }
    return true;
  }

  /** {@code name} with its ASCII letters lowercase, as HTTP folds names; other chars stay; itself if none is upper. */
  public static String lowercase(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = name.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] += 'a' - 'A';
          }
        }
        return new String(chars);
      }
    }
    return name;
  }

  private static boolean isLetter(char c) {
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'z';
  }
}
