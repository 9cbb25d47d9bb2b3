package dev.flagroute.grpc;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.internal.inbound.InboundView;
import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of one call's inbound metadata that flagroute reads or hides, and their values, each
 * decoded at most once; the carrier the router reads ({@link #READER}). Names come from one pass
 * over the metadata's keys, the only enumeration gRPC's API offers. Values are read in place, one
 * pass over the metadata per key sent, while {@code flag keys x all keys} stays within
 * {@link #DIRECT_READ_BUDGET}; beyond it, the entries read are copied once, so each lookup costs in
 * proportion to those, not to all the metadata. Keys that were not sent cost no pass at all. One
 * call's, on one thread at a time.
 */
final class FlaggedMetadata {
  /** In-place reads while {@code flag keys x all keys} stays within this; a copy beyond it. */
  static final int DIRECT_READ_BUDGET = 1024;

  /** Reads values from the entries, names from the flag names. */
  static final HeaderGetter<FlaggedMetadata> READER = new HeaderGetter<>() {
    @Override
    public String get(FlaggedMetadata carrier, String name) {
      return carrier.value(name);
    }

    @Override
    public Iterable<String> names(FlaggedMetadata carrier) {
      return carrier.flagNames;
    }
  };

  private final Set<String> names;
  private final List<String> flagNames;
  private final Metadata entries;
  private final Map<String, String> values = new HashMap<>();

  private FlaggedMetadata(Set<String> names, List<String> flagNames, Metadata entries) {
    this.names = names;
    this.flagNames = flagNames;
    this.entries = entries;
  }

  /**
   * The flag entries of {@code headers}: the keys any codec could read a flag from, the override
   * token and the shadow marker, ASCII or binary ({@link InboundView#treatment} other than
   * {@code KEEP}); read from are the text ones, since a relay carries on the flags it has no route
   * for, and the binary forms of {@code readNames}.
   */
  static FlaggedMetadata of(InboundView view, Set<String> readNames, Metadata headers) {
    return of(view, readNames, headers, DIRECT_READ_BUDGET);
  }

  /** {@link #of(InboundView, Set, Metadata)} with the budget of in-place reads given (tests). */
  static FlaggedMetadata of(InboundView view, Set<String> readNames, Metadata headers, int directReadBudget) {
    Set<String> names = headers.keys();
    List<String> flagNames = new ArrayList<>();
    int read = 0;
    for (String name : names) {
      boolean binary = name.endsWith(Metadata.BINARY_HEADER_SUFFIX);
      String base = binary ? MetadataHeaders.baseName(name) : name;
      if (view.treatment(base) != InboundView.Treatment.KEEP) {
        flagNames.add(name);
        read += !binary || readNames.contains(base) ? 1 : 0;
      }
    }
    if ((long) read * names.size() <= directReadBudget) {
      return new FlaggedMetadata(names, flagNames, headers);
    }
    Set<Metadata.Key<?>> keys = new HashSet<>();
    for (String name : flagNames) {
      if (!name.endsWith(Metadata.BINARY_HEADER_SUFFIX) || readNames.contains(MetadataHeaders.baseName(name))) {
        keys.add(MetadataHeaders.anyKey(name));
      }
    }
    Metadata entries = new Metadata();
    entries.merge(headers, keys);
    return new FlaggedMetadata(names, flagNames, entries);
  }

  /** Every key of the metadata, as gRPC lists them (lowercase, as on the wire). */
  Set<String> names() {
    return names;
  }

  /** The keys that carry or could carry flags, tokens or markers: the names the router sees. */
  List<String> flagNames() {
    return flagNames;
  }

  /** Where values are read: the call's metadata, or the copy of its entries read. */
  Metadata entries() {
    return entries;
  }

  /** The ASCII values of key {@code name} (any case) joined with {@code ","}, or null. */
  String value(String name) {
    Metadata.Key<String> key = MetadataHeaders.asciiKey(name);
    if (key == null || !names.contains(key.name())) {
      return null;
    }
    String value = values.get(key.name());
    if (value == null) {
      value = MetadataHeaders.joined(entries, key);
      values.put(key.name(), value);
    }
    return value;
  }

  /** Whether ASCII key {@code name} was sent exactly once, with {@code value}. */
  boolean sentOnceAs(String name, String value) {
    if (value == null) {
      return false;
    }
    if (value.indexOf(',') < 0) {
      return value.equals(value(name)); // joined values of more than one entry hold a comma
    }
    Metadata.Key<String> key = MetadataHeaders.asciiKey(name);
    Iterable<String> sent = key == null ? null : entries.getAll(key);
    if (sent == null) {
      return false;
    }
    Iterator<String> each = sent.iterator();
    return value.equals(each.next()) && !each.hasNext();
  }
}
