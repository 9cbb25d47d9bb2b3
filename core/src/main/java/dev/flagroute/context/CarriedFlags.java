package dev.flagroute.context;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The immutable map {@link FlagContext#carried()} returns: a view of the context's carried flags,
 * keys and variants side by side in one array in the order read, so that a relay carrying flags
 * allocates one array instead of a hash map entry per flag, and a codec stamps them by walking the
 * array without this view. Lookups scan; a relay's carried flags are bounded by its
 * {@code HeaderLimits}.
 */
final class CarriedFlags extends AbstractMap<String, String> {
  static final CarriedFlags NONE = new CarriedFlags(new String[0], 0);

  /** Key at {@code 2 * i}, its variant at {@code 2 * i + 1}; never changed once taken over. */
  private final String[] flags;
  private final int size;

  private CarriedFlags(String[] flags, int size) {
    this.flags = flags;
    this.size = size;
  }

  /** A view of {@code flags}, key and variant alternating, null past the last; never changed after. */
  static CarriedFlags of(String[] flags) {
    int size = 0;
    while (2 * size < flags.length && flags[2 * size] != null) {
      size++;
    }
    return size == 0 ? NONE : new CarriedFlags(flags, size);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public String get(Object key) {
    int at = indexOf(key);
    return at < 0 ? null : flags[at + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  private int indexOf(Object key) {
    for (int i = 0; i < 2 * size; i += 2) {
      if (flags[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super String> action) {
    for (int i = 0; i < 2 * size; i += 2) {
      action.accept(flags[i], flags[i + 1]);
    }
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < 2 * size;
          }

          @Override
          public Entry<String, String> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            next += 2;
            return Map.entry(flags[next - 2], flags[next - 1]);
          }
        };
      }
    };
  }

  /** As every map's: the sum of {@code key.hashCode() ^ value.hashCode()}, without an entry each. */
  @Override
  public int hashCode() {
    int hash = 0;
    for (int i = 0; i < 2 * size; i += 2) {
      hash += flags[i].hashCode() ^ flags[i + 1].hashCode();
    }
    return hash;
  }
}
