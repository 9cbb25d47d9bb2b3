package dev.flagroute.kafka;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.AsciiNames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
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
        if (AsciiNames.same(name, header.key())) {
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
   * must be writable. A record without such headers (the common case) costs a header and a value
   * array per header written and one small setter: no iterator, list or lambda.
   */
  static void stamp(HeaderCodec codec, FlagContext flags, Headers headers) {
    Setter setter = null;
    for (Header header : headers.toArray()) { // a snapshot (none for no headers): removing is safe
      String key = header.key();
      if (key != null && codec.strips(key) && (!flags.hasNothingToStamp() || !codec.owns(key))) {
        setter = setter == null ? new Setter() : setter;
        setter.remember(key.toLowerCase(Locale.ROOT), GETTER.get(headers, key));
        headers.remove(key);
      }
    }
    if (!flags.hasNothingToStamp()) {
      codec.inject(flags, headers, setter == null ? new Setter() : setter);
    }
  }

  private static String text(byte[] value) {
    return value == null ? "" : new String(value, StandardCharsets.UTF_8);
  }

  /**
   * Writes each header once per name, encoding its value for this record alone: Kafka's
   * {@code Header.value()} hands out the array a header holds, so an array shared between records
   * could be changed through any of them (by the application after the send, another interceptor,
   * a send listener) and silently change the flags of every later record. Reads what the record had
   * before stamping (baggage merges with the other owners' members).
   */
  private static final class Setter implements HeaderSetter<Headers> {
    private String[] removedNames;
    private String[] removedValues;
    private int removed;
    /** A bit per name written so far, by its hash; a clear bit proves the name was not written. */
    private long written;

    void remember(String name, String value) {
      if (removedNames == null) {
        removedNames = new String[4];
        removedValues = new String[4];
      } else if (removed == removedNames.length) {
        removedNames = Arrays.copyOf(removedNames, removed * 2);
        removedValues = Arrays.copyOf(removedValues, removed * 2);
      }
      removedNames[removed] = name;
      removedValues[removed++] = value;
    }

    @Override
    public void set(Headers carrier, String name, String value) {
      // every header the codec writes was stripped before: only a name written twice replaces one
      int hash = name.hashCode();
      long bit = 1L << (hash ^ (hash >>> 16));
      if ((written & bit) != 0 && carrier.lastHeader(name) != null) {
        carrier.remove(name);
      }
      written |= bit;
      carrier.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String get(Headers carrier, String name) {
      for (int i = 0; i < removed; i++) {
        if (removedNames[i].equals(name)) {
          return removedValues[i];
        }
      }
      return GETTER.get(carrier, name);
    }
  }
}
