package dev.flagroute.kafka;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka record headers as a flagroute carrier. Header values are bytes; flagroute writes its
 * headers as UTF-8 (in practice ASCII) and reads them back the same way, so a value that is not
 * text reads as text with replacement characters, which the codec then drops as invalid.
 */
final class KafkaHeaders {
  /**
   * Reads headers matching the (lowercase) name ignoring ASCII case only, as HTTP and the mesh
   * compare names (a key with a Kelvin sign or a dotless i is another header, not a flag header);
   * repeated headers join with ",".
   */
  static final HeaderGetter<Headers> GETTER = new HeaderGetter<>() {
    @Override
    public String get(Headers headers, String name) {
      String first = null;
      StringBuilder joined = null; // linear in the headers' size, however often a name repeats
      for (Header header : headers) {
        if (sameAsciiName(name, header.key())) {
          String value = text(header.value());
          if (first == null) {
            first = value;
          } else {
            joined = joined == null ? new StringBuilder(first) : joined;
            joined.append(',').append(value);
          }
        }
      }
      return joined == null ? first : joined.toString();
    }

    @Override
    public Iterable<String> names(Headers headers) {
      Set<String> names = new LinkedHashSet<>();
      for (Header header : headers) {
        if (header.key() != null) {
          names.add(header.key());
        }
      }
      return names;
    }
  };

  private KafkaHeaders() {
  }

  /**
   * Removes what stamping replaces ({@link HeaderCodec#strips}: with flags, every header the codec
   * owns; always the override token and the shadow marker), then writes {@code flags}. Headers
   * must be writable.
   */
  static void stamp(HeaderCodec codec, FlagContext flags, Headers headers) {
    List<String> doomed = new ArrayList<>();
    for (Header header : headers) {
      String key = header.key();
      if (key != null && codec.strips(key) && (!flags.hasNothingToStamp() || !codec.owns(key))) {
        doomed.add(key);
      }
    }
    Setter setter = new Setter(headers);
    for (String key : doomed) {
      setter.original.add(new Original(key.toLowerCase(java.util.Locale.ROOT), GETTER.get(headers, key)));
      headers.remove(key);
    }
    if (!flags.hasNothingToStamp()) {
      codec.inject(flags, headers, setter);
    }
  }

  /** Whether {@code key} spells {@code name} folding the case of ASCII letters only. */
  static boolean sameAsciiName(String name, String key) {
    if (key == null || key.length() != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char a = name.charAt(i);
      char b = key.charAt(i);
      if (a != b && ((a | 0x20) != (b | 0x20) || (a | 0x20) < 'a' || (a | 0x20) > 'z')) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] value) {
    return value == null ? "" : new String(value, StandardCharsets.UTF_8);
  }

  private record Original(String name, String value) {
  }

  /** Writes a header once per name; reads what the record had before stamping (baggage merges). */
  private static final class Setter implements HeaderSetter<Headers> {
    private final Headers headers;
    private final List<Original> original = new ArrayList<>();
    private final List<String> written = new ArrayList<>();

    Setter(Headers headers) {
      this.headers = headers;
    }

    @Override
    public void set(Headers carrier, String name, String value) {
      // every header the codec writes was stripped before; only a second write of one name replaces
      if (written.contains(name)) {
        carrier.remove(name);
      } else {
        written.add(name);
      }
      carrier.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String get(Headers carrier, String name) {
      for (Original removed : original) {
        if (removed.name().equals(name)) {
          return removed.value();
        }
      }
      return GETTER.get(headers, name);
    }
  }
}
