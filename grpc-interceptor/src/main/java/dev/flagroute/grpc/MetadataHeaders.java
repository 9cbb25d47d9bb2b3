package dev.flagroute.grpc;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.inbound.InboundView;
import io.grpc.Metadata;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flag headers as ASCII gRPC metadata. Binary ({@code -bin}) keys are never read or written as flag
 * values; {@link #names} still lists them, so a codec counts flag-like ones it cannot use.
 */
final class MetadataHeaders implements HeaderGetter<Metadata> {
  private static final Logger log = LoggerFactory.getLogger(MetadataHeaders.class);
  static final MetadataHeaders GETTER = new MetadataHeaders();

  /** Bounds the key cache; codecs ask only for the few names their routes give. */
  private static final int MAX_CACHED_KEYS = 512;
  private static final ConcurrentMap<String, Optional<Metadata.Key<String>>> KEYS = new ConcurrentHashMap<>();

  private MetadataHeaders() {}

  @Override
  public String get(Metadata carrier, String name) {
    Metadata.Key<String> key = asciiKey(name);
    return key == null ? null : joined(carrier, key);
  }

  @Override
  public Iterable<String> names(Metadata carrier) {
    return carrier.keys();
  }

  /**
   * The ASCII key {@code name}, or {@code null} if gRPC cannot carry it as ASCII metadata: a
   * binary {@code -bin} name, or characters other than {@code a-z 0-9 - _ .}.
   */
  static Metadata.Key<String> asciiKey(String name) {
    Optional<Metadata.Key<String>> key = KEYS.get(name);
    if (key == null) {
      key = newAsciiKey(name);
      if (KEYS.size() < MAX_CACHED_KEYS) {
        KEYS.putIfAbsent(name, key);
      }
    }
    return key.orElse(null);
  }

  private static Optional<Metadata.Key<String>> newAsciiKey(String name) {
    if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Makes {@code headers} what the application sees (see {@link InboundView}): flag metadata of
   * any codec and the override token removed, {@code baggage} without flag members, and the
   * decided flag metadata of the router's codec written.
   */
  static void show(InboundView view, FlagContext flags, Metadata headers) {
    Map<String, String> decided = new HashMap<>(view.decided(flags, name -> GETTER.get(headers, name)));
    for (String name : Set.copyOf(headers.keys())) {
      InboundView.Treatment treatment = view.treatment(name);
      if (treatment == InboundView.Treatment.KEEP) {
        continue;
      }
      if (treatment == InboundView.Treatment.DECIDED && alreadyShown(headers, name, decided.get(name))) {
        decided.remove(name); // as a relay reads it, sent once with the decided value: left as it is
        continue;
      }
      String baggage = treatment == InboundView.Treatment.BAGGAGE ? view.baggage(GETTER.get(headers, name)) : null;
      discardAll(headers, name);
      if (baggage != null) {
        headers.put(asciiKey(name), baggage);
      }
    }
    decided.forEach((name, value) -> {
      Metadata.Key<String> key = asciiKey(name);
      if (key != null) {
        headers.put(key, value);
      }
    });
  }
  /** Whether {@code name} is sent exactly once, with the {@code value} the application is to see. */
  private static boolean alreadyShown(Metadata headers, String name, String value) {
    Metadata.Key<String> key = value == null ? null : asciiKey(name);
    if (key == null) {
      return false;
    }
    Iterable<String> values = headers.getAll(key);
    if (values == null) {
      return false;
    }
    Iterator<String> sent = values.iterator();
    return sent.hasNext() && value.equals(sent.next()) && !sent.hasNext();
  }


  /** Removes every value of {@code name}, an ASCII or binary key present in {@code carrier}. */
  static void discardAll(Metadata carrier, String name) {
    Metadata.Key<?> key = name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
        ? Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER)
        : Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    carrier.discardAll(key);
  }

  /** The values of {@code key} joined with {@code ","} as HTTP combines repeated headers, or null. */
  static String joined(Metadata carrier, Metadata.Key<String> key) {
    Iterable<String> values = carrier.getAll(key);
    if (values == null) {
      return null;
    }
    Iterator<String> it = values.iterator();
    String first = it.next();
    if (!it.hasNext()) {
      return first;
    }
    StringBuilder all = new StringBuilder(first);
    while (it.hasNext()) {
      all.append(',').append(it.next());
    }
    return all.toString();
  }

  /** Writes into fresh metadata, reading values the outgoing call already had from {@code original}. */
  record Stamp(Metadata original) implements HeaderSetter<Metadata> {
    @Override
    public void set(Metadata carrier, String name, String value) {
      Metadata.Key<String> key = asciiKey(name);
      if (key == null) {
        log.debug("flag header {} cannot travel as ASCII gRPC metadata; not stamped", name);
        return;
      }
      carrier.discardAll(key);
      carrier.put(key, value);
    }

    @Override
    public String get(Metadata carrier, String name) {
      Metadata.Key<String> key = asciiKey(name);
      return key == null ? null : joined(original, key);
    }
  }
}
