package io.pulse.engine.domain;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The most recent event ids a user has sent, for de-duplication of retries. Bounded by {@code
 * capacity}; kept in chunks of 32 ids, 32 chunks at the default capacity of 1024. Every event costs
 * one lookup (a scan of the newest chunk, then a probe per older chunk) and one add. The newest
 * chunk is scanned by the ids' hash codes, kept beside it in an array: comparing the ids themselves
 * would read every id of the chunk from memory, one cache miss each, for a user whose window is
 * rarely in the cache when an event arrives.
 *
 * <p>A window never changes once built: an add returns a new one. What it copies is what keeps that
 * cheap: the newest chunk is an array that an add copies with one more id (at most 32 references),
 * and the older chunks are sets shared by every window built from the same ones; their list is
 * copied only when the newest chunk fills up or the oldest chunk leaves, once every 32 adds.
 *
 * <p>Stored (in snapshots) and compared as its capacity and its chunks, oldest first, the newest
 * last: the form it had as a record of sets, which older snapshots hold and older nodes read. It is
 * a class rather than a record because its fields are not that form. Reading a stored form drops
 * what no window writes: empty chunks and null ids.
 */
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.NONE,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class RecentEventIds {

  static final int CHUNK_SIZE = 32;

  private static final String[] NO_IDS = new String[0];

  private static final int[] NO_HASHES = new int[0];

  private final int capacity;

  /** The full chunks, oldest first; never changed, so windows can share them. */
  private final List<Set<String>> older;

  /** How many ids {@link #older} holds. */
  private final int olderSize;

  /** The newest chunk, oldest id first; never changed once the window is built. */
  private final String[] newest;

  /** The hash codes of {@link #newest}, in the same order. */
  private final int[] newestHashes;

  /** A window in its stored form: {@code chunks} oldest first, the last one the newest. */
  @JsonCreator
  public RecentEventIds(
      @JsonProperty("capacity") int capacity, @JsonProperty("chunks") List<Set<String>> chunks) {
    List<Set<String>> stored = storedChunks(chunks);
    this.capacity = checked(capacity);
    this.older = stored.size() <= 1 ? List.of() : List.copyOf(stored.subList(0, stored.size() - 1));
    this.olderSize = sizeOf(older);
    this.newest = stored.isEmpty() ? NO_IDS : stored.get(stored.size() - 1).toArray(NO_IDS);
    this.newestHashes = hashesOf(newest);
  }

  private RecentEventIds(
      int capacity, List<Set<String>> older, int olderSize, String[] newest, int[] newestHashes) {
    this.capacity = checked(capacity);
    this.older = older;
    this.olderSize = olderSize;
    this.newest = newest;
    this.newestHashes = newestHashes;
  }

  public static RecentEventIds withCapacity(int capacity) {
    return new RecentEventIds(capacity, List.of(), 0, NO_IDS, NO_HASHES);
  }

  @JsonProperty("capacity")
  public int capacity() {
    return capacity;
  }

  /** The chunks, oldest first and the newest last, as they are stored. */
  @JsonProperty("chunks")
  public List<Set<String>> chunks() {
    if (newest.length == 0) {
      return older;
    }
    List<Set<String>> chunks = new ArrayList<>(older.size() + 1);
    chunks.addAll(older);
    chunks.add(Set.of(newest));
    return Collections.unmodifiableList(chunks);
  }

  public boolean contains(String eventId) {
    if (newestIndexOf(eventId, eventId.hashCode()) >= 0) {
      return true;
    }
    for (int i = older.size() - 1; i >= 0; i--) {
      if (older.get(i).contains(eventId)) {
        return true;
      }
    }
    return false;
  }

  public int size() {
    return olderSize + newest.length;
  }

  /**
   * This window with {@code eventId} added, or this one when its newest chunk holds the id already.
   * The oldest chunks leave once the window holds more than its capacity without them.
   */
  public RecentEventIds add(String eventId) {
    int hash = eventId.hashCode();
    if (newestIndexOf(eventId, hash) >= 0) {
      return this;
    }
    if (newest.length < CHUNK_SIZE) {
      String[] grown = Arrays.copyOf(newest, newest.length + 1);
      grown[newest.length] = eventId;
      int[] grownHashes = Arrays.copyOf(newestHashes, newestHashes.length + 1);
      grownHashes[newestHashes.length] = hash;
      return trimmed(older, olderSize, grown, grownHashes);
    }
    List<Set<String>> sealed = new ArrayList<>(older.size() + 1);
    sealed.addAll(older);
    sealed.add(Set.of(newest));
    return trimmed(
        Collections.unmodifiableList(sealed),
        olderSize + newest.length,
        new String[] {eventId},
        new int[] {hash});
  }

  /** Where {@code eventId}, whose hash code is {@code hash}, is in the newest chunk, or -1. */
  private int newestIndexOf(String eventId, int hash) {
    for (int i = newestHashes.length - 1; i >= 0; i--) {
      if (newestHashes[i] == hash && eventId.equals(newest[i])) {
        return i;
      }
    }
    return -1;
  }

  private static int[] hashesOf(String[] ids) {
    if (ids.length == 0) {
      return NO_HASHES;
    }
    int[] hashes = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      hashes[i] = ids[i].hashCode();
    }
    return hashes;
  }

  private RecentEventIds trimmed(
      List<Set<String>> older, int olderSize, String[] newest, int[] newestHashes) {
    int size = olderSize + newest.length;
    int leaving = 0;
    while (leaving < older.size() && size - older.get(leaving).size() >= capacity) {
      size -= older.get(leaving).size();
      leaving++;
    }
    if (leaving == 0) {
      return new RecentEventIds(capacity, older, olderSize, newest, newestHashes);
    }
    List<Set<String>> kept = List.copyOf(older.subList(leaving, older.size()));
    return new RecentEventIds(capacity, kept, size - newest.length, newest, newestHashes);
  }

  private static int checked(int capacity) {
    if (capacity < CHUNK_SIZE) {
      throw new IllegalArgumentException("capacity must be at least " + CHUNK_SIZE);
    }
    return capacity;
  }

  /** The stored chunks without empty chunks and null ids, as sets that hold no null. */
  private static List<Set<String>> storedChunks(List<Set<String>> chunks) {
    if (chunks == null) {
      return List.of();
    }
    List<Set<String>> stored = new ArrayList<>(chunks.size());
    for (Set<String> chunk : chunks) {
      if (chunk == null) {
        continue;
      }
      Set<String> ids = new HashSet<>(chunk);
      ids.remove(null);
      if (!ids.isEmpty()) {
        stored.add(Set.copyOf(ids));
      }
    }
    return stored;
  }

  private static int sizeOf(List<Set<String>> chunks) {
    int size = 0;
    for (Set<String> chunk : chunks) {
      size += chunk.size();
    }
    return size;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecentEventIds that
        && capacity == that.capacity
        && chunks().equals(that.chunks());
  }

  @Override
  public int hashCode() {
    return Objects.hash(capacity, chunks());
  }

  @Override
  public String toString() {
    return "RecentEventIds[capacity=" + capacity + ", size=" + size() + "]";
  }
}
