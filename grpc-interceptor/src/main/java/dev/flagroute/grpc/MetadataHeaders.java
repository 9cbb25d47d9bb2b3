package dev.flagroute.grpc;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.inbound.InboundView;
import dev.flagroute.routes.FlagRoutes;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
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
  /**
   * Inbound values are read in place, one pass over the metadata per key read, while
   * {@code keys read x all keys} stays within this; beyond it, the entries read are copied once.
   */
  static final int DIRECT_READ_BUDGET = 1024;
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
   * The keys of inbound metadata that flagroute reads or hides, and where their values are read
   * from; also the carrier the router reads ({@link #READER}).
   *
   * @param names every key of the metadata, as gRPC lists them (lowercase, as on the wire)
   * @param flagNames the keys any codec could read a flag from, the override token and the shadow
   *     marker, ASCII or binary ({@link InboundView#treatment} other than {@code KEEP}): the names
   *     the router sees
   * @param entries where values are read: the call's metadata itself while few keys are to be
   *     read from little metadata, else a copy of only the entries of the keys read, so that each
   *     lookup costs in proportion to those, not to all the metadata
   */
  record Flagged(Set<String> names, List<String> flagNames, Metadata entries) {
    /** The joined ASCII values of key {@code name} (any case), or null; keys not sent cost no pass. */
    String value(String name) {
      Metadata.Key<String> key = asciiKey(name);
      return key == null || !names.contains(key.name()) ? null : joined(entries, key);
    }
  }

  /** Reads a {@link Flagged}: values from its entries, names from its flag names. */
  static final HeaderGetter<Flagged> READER = new HeaderGetter<>() {
    @Override
    public String get(Flagged carrier, String name) {
      return carrier.value(name);
    }

    @Override
    public Iterable<String> names(Flagged carrier) {
      return carrier.flagNames();
    }
  };

  /**
   * The flag entries of {@code headers}: one pass over its keys (the one pass gRPC's API offers
   * over names), reading in place while {@code flag keys x all keys} stays within
   * {@link #DIRECT_READ_BUDGET}, else one copy of the entries of {@code readNames} (and their
   * binary forms) and of every other text flag entry, which a relay carries on though it has no
   * route for it.
   */
  static Flagged flagged(InboundView view, Set<String> readNames, Metadata headers) {
    return flagged(view, readNames, headers, DIRECT_READ_BUDGET);
  }

  /** {@link #flagged(InboundView, Set, Metadata)} with the budget of in-place reads given (tests). */
  static Flagged flagged(InboundView view, Set<String> readNames, Metadata headers, int directReadBudget) {
    Set<String> names = headers.keys();
    List<String> flagNames = new ArrayList<>();
    int read = 0;
    for (String name : names) {
      boolean binary = name.endsWith(Metadata.BINARY_HEADER_SUFFIX);
      String base = binary ? baseName(name) : name;
      if (view.treatment(base) != InboundView.Treatment.KEEP) {
        flagNames.add(name);
        // a relay carries the flags it has no route for, so every text flag entry is read, not only routed ones
        read += !binary || readNames.contains(base) ? 1 : 0;
      }
    }
    if ((long) read * names.size() <= directReadBudget) {
      return new Flagged(names, flagNames, headers);
    }
    Set<Metadata.Key<?>> keys = new HashSet<>();
    for (String name : flagNames) {
      boolean binary = name.endsWith(Metadata.BINARY_HEADER_SUFFIX);
      if (!binary || readNames.contains(baseName(name))) {
        keys.add(anyKey(name));
      }
    }
    Metadata entries = new Metadata();
    entries.merge(headers, keys);
    return new Flagged(names, flagNames, entries);
  }

  /** {@link #show(InboundView, FlagContext, Metadata, Flagged)} after {@link #flagged}, for {@code routes}. */
  static Metadata show(InboundView view, FlagRoutes routes, FlagContext flags, Metadata headers) {
    return show(view, flags, headers, flagged(view, view.readNames(routes), headers));
  }

  /**
   * {@code headers} as the application sees them (see {@link InboundView}): flag metadata of any
   * codec and the override token removed, in their ASCII and binary ({@code -bin}) forms alike,
   * {@code baggage} without flag members, and the decided flag metadata of the router's codec
   * written. Lookups go to {@code flagged}'s entries only; many keys to remove are removed by
   * copying the rest once (the result is then a new {@code Metadata}), never one pass per key.
   */
  static Metadata show(InboundView view, FlagContext flags, Metadata headers, Flagged flagged) {
    Metadata entries = flagged.entries();
    Map<String, String> decided = view.decided(flags, flagged::value);
    Set<String> kept = new HashSet<>();
    Set<String> remove = new HashSet<>();
    Map<String, String> baggage = new HashMap<>();
    Map<String, byte[]> binaryBaggage = new HashMap<>();
    for (String name : flagged.flagNames()) {
      boolean binary = name.endsWith(Metadata.BINARY_HEADER_SUFFIX);
      InboundView.Treatment treatment = view.treatment(binary ? baseName(name) : name);
      if (!binary && treatment == InboundView.Treatment.DECIDED && alreadyShown(entries, name, decided.get(name))) {
        kept.add(name); // as a relay reads it, sent once with the decided value: left as it is
        continue;
      }
      remove.add(name);
      if (treatment == InboundView.Treatment.BAGGAGE) {
        String members = view.baggage(binary ? binaryText(entries, name) : flagged.value(name));
        if (members != null && binary) {
          binaryBaggage.put(name, members.getBytes(StandardCharsets.US_ASCII));
        } else if (members != null) {
          baggage.put(name, members);
        }
      }
    }
    if (kept.size() == decided.size() && remove.isEmpty()) {
      return headers; // every flag entry sent as the application is to see it: nothing to change
    }
    Metadata shown = without(headers, flagged.names(), remove);
    baggage.forEach((name, value) -> shown.put(asciiKey(name), value));
    binaryBaggage.forEach((name, value) -> shown.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), value));
    decided.forEach((name, value) -> {
      Metadata.Key<String> key = kept.contains(name) ? null : asciiKey(name);
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
    carrier.discardAll(anyKey(name));
  }

  /** The key {@code name}, binary or ASCII as its name says. */
  private static Metadata.Key<?> anyKey(String name) {
    if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      return Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
    }
    Metadata.Key<String> key = asciiKey(name);
    return key != null ? key : Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
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
