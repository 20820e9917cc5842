package io.pulse.engine.domain.promotion;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map from strings, changed by copying only the one chunk of 1/256 of its keys that a
 * change touches. A campaign with a hundred thousand vouchers then pays for a few hundred entries
 * per journaled event, not for the whole map, while its state stays an immutable value.
 */
final class ChunkedMap<V> extends AbstractMap<String, V> {

  private static final int CHUNKS = 256;
  private static final ChunkedMap<?> EMPTY = new ChunkedMap<>(new Map<?, ?>[CHUNKS], 0);

  private final Map<String, V>[] chunks;
  private final int size;

  private ChunkedMap(Map<?, ?>[] chunks, int size) {
    @SuppressWarnings("unchecked")
    Map<String, V>[] typed = (Map<String, V>[]) chunks;
    this.chunks = typed;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <V> ChunkedMap<V> empty() {
    return (ChunkedMap<V>) EMPTY;
  }

  /** The same entries as an immutable chunked map; {@code map} itself when it already is one. */
  static <V> ChunkedMap<V> copyOf(Map<String, V> map) {
    if (map == null) {
      return empty();
    }
    if (map instanceof ChunkedMap<V> chunked) {
      return chunked;
    }
    Map<?, ?>[] chunks = new Map<?, ?>[CHUNKS];
    for (Map.Entry<String, V> entry : map.entrySet()) {
      String key = Objects.requireNonNull(entry.getKey(), "key");
      V value = Objects.requireNonNull(entry.getValue(), "value");
      @SuppressWarnings("unchecked")
      Map<String, V> chunk = (Map<String, V>) chunks[indexOf(key)];
      if (chunk == null) {
        chunk = new HashMap<>();
        chunks[indexOf(key)] = chunk;
      }
      chunk.put(key, value);
    }
    return new ChunkedMap<>(chunks, map.size());
  }

  /** {@code map} (a chunked map, or any map, which is copied first) with {@code key} set. */
  static <V> ChunkedMap<V> with(Map<String, V> map, String key, V value) {
    return copyOf(map).with(key, value);
  }

  ChunkedMap<V> with(String key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    int index = indexOf(key);
    Map<String, V> old = chunks[index];
    Map<String, V> chunk = old == null ? new HashMap<>() : new HashMap<>(old);
    boolean added = chunk.put(key, value) == null;
    Map<?, ?>[] copy = chunks.clone();
    copy[index] = chunk;
    return new ChunkedMap<>(copy, added ? size + 1 : size);
  }

  ChunkedMap<V> without(String key) {
    int index = indexOf(key);
    Map<String, V> old = chunks[index];
    if (old == null || !old.containsKey(key)) {
      return this;
    }
    Map<String, V> chunk = new HashMap<>(old);
    chunk.remove(key);
    Map<?, ?>[] copy = chunks.clone();
    copy[index] = chunk.isEmpty() ? null : chunk;
    return new ChunkedMap<>(copy, size - 1);
  }

  @Override
  public V get(Object key) {
    if (!(key instanceof String text)) {
      return null;
    }
    Map<String, V> chunk = chunks[indexOf(text)];
    return chunk == null ? null : chunk.get(text);
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, V>> iterator() {
        return new Entries();
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  private static int indexOf(String key) {
    return (key.hashCode() & 0x7fffffff) % CHUNKS;
  }

  /** Walks the chunks in order, and each chunk's entries, as read-only entries. */
  private final class Entries implements Iterator<Map.Entry<String, V>> {
    private int chunk = -1;
    private Iterator<Map.Entry<String, V>> current = null;

    @Override
    public boolean hasNext() {
      while (current == null || !current.hasNext()) {
        chunk++;
        if (chunk >= CHUNKS) {
          return false;
        }
        current = chunks[chunk] == null ? null : chunks[chunk].entrySet().iterator();
      }
      return true;
    }

    @Override
    public Map.Entry<String, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Map.Entry<String, V> entry = current.next();
      return Map.entry(entry.getKey(), entry.getValue());
    }
  }
}
