package dev.flagroute.grpc;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.inbound.InboundView;
import dev.flagroute.routes.FlagRoutes;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
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
 * values; {@link #names} still lists them, so a codec counts flag-like ones it cannot use, and the
 * binary forms of flagroute's keys are hidden and stripped like the ASCII forms.
 */
final class MetadataHeaders implements HeaderGetter<Metadata> {
  private static final Logger log = LoggerFactory.getLogger(MetadataHeaders.class);
  static final MetadataHeaders GETTER = new MetadataHeaders();

  /** Up to this many keys are removed in place, one pass each; more, by one copy of the rest. */
  private static final int IN_PLACE_REMOVALS = 4;
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

  /** {@link #show(InboundView, FlagContext, Metadata, FlaggedMetadata)} after reading {@code routes}' keys. */
  static Metadata show(InboundView view, FlagRoutes routes, FlagContext flags, Metadata headers) {
    return show(view, flags, headers, FlaggedMetadata.of(view, view.readNames(routes), headers));
  }

  /**
   * {@code headers} as the application sees them (see {@link InboundView}): flag metadata of any
   * codec and the override token removed, in their ASCII and binary ({@code -bin}) forms alike,
   * {@code baggage} without flag members, and the decided flag metadata of the router's codec
   * written. Lookups go to {@code flagged}'s entries only; many keys to remove are removed by
   * copying the rest once (the result is then a new {@code Metadata}), never one pass per key.
   */
  static Metadata show(InboundView view, FlagContext flags, Metadata headers, FlaggedMetadata flagged) {
    Map<String, String> decided = view.decided(flags, flagged::value);
    int kept = 0;
    Set<String> remove = new HashSet<>();
    Map<String, String> baggage = new HashMap<>();
    Map<String, byte[]> binaryBaggage = new HashMap<>();
    for (String name : flagged.flagNames()) {
      boolean binary = name.endsWith(Metadata.BINARY_HEADER_SUFFIX);
      InboundView.Treatment treatment = view.treatment(binary ? baseName(name) : name);
      if (!binary && treatment == InboundView.Treatment.DECIDED && flagged.sentOnceAs(name, decided.get(name))) {
        kept++; // as a relay reads it, sent once with the decided value: left as it is
        continue;
      }
      remove.add(name);
      if (treatment == InboundView.Treatment.BAGGAGE) {
        String members = view.baggage(binary ? binaryText(flagged.entries(), name) : flagged.value(name));
        if (members != null && binary) {
          binaryBaggage.put(name, members.getBytes(StandardCharsets.US_ASCII));
        } else if (members != null) {
          baggage.put(name, members);
        }
      }
    }
    if (kept == decided.size() && remove.isEmpty()) {
      return headers; // every flag entry sent as the application is to see it: nothing to change
    }
    Metadata shown = without(headers, flagged.names(), remove);
    baggage.forEach((name, value) -> shown.put(asciiKey(name), value));
    binaryBaggage.forEach((name, value) -> shown.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), value));
    decided.forEach((name, value) -> {
      // a decided key sent and not removed was kept as sent
      Metadata.Key<String> key = flagged.names().contains(name) && !remove.contains(name) ? null : asciiKey(name);
      if (key != null) {
        shown.put(key, value);
      }
    });
    return shown;
  }

  /**
   * {@code headers} without the keys {@code remove} (of {@code names}, all its keys): removed in
   * place when they are few, else {@code headers}' other keys copied once into new metadata, so
   * that the cost is one pass over the metadata however many keys go.
   */
  static Metadata without(Metadata headers, Set<String> names, Set<String> remove) {
    if (remove.size() <= IN_PLACE_REMOVALS) {
      remove.forEach(name -> discardAll(headers, name));
      return headers;
    }
    Set<Metadata.Key<?>> keep = new HashSet<>();
    for (String name : names) {
      if (!remove.contains(name)) {
        keep.add(anyKey(name));
      }
    }
    Metadata rest = new Metadata();
    rest.merge(headers, keep);
    return rest;
  }

  /** {@code name} without its {@code -bin} suffix. */
  static String baseName(String name) {
    return name.substring(0, name.length() - Metadata.BINARY_HEADER_SUFFIX.length());
  }

  /** The values of binary key {@code name} as ASCII text, joined with {@code ","}, or null. */
  static String binaryText(Metadata headers, String name) {
    Iterable<byte[]> values = headers.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER));
    if (values == null) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (byte[] value : values) {
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(new String(value, StandardCharsets.US_ASCII));
    }
    return text.toString();
  }

  /** Removes every value of {@code name}, an ASCII or binary key present in {@code carrier}. */
  static void discardAll(Metadata carrier, String name) {
    carrier.discardAll(anyKey(name));
  }

  /** The key {@code name}, binary or ASCII as its name says. */
  static Metadata.Key<?> anyKey(String name) {
    // not from the key cache: these are any names a peer sent, which must not crowd out the codecs' keys
    return name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
        ? Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER)
        : Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
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
