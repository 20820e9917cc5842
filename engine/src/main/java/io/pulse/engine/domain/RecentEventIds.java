package io.pulse.engine.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The most recent event ids a user has sent, for de-duplication of retries. Bounded by {@code
 * capacity}; kept in chunks so that adding one id copies one small chunk rather than the window.
 * Every event costs one lookup (a probe per chunk) and one add (a copy of the last chunk), so the
 * chunk size balances the two: 32 ids, 32 chunks at the default capacity of 1024.
 */
public record RecentEventIds(int capacity, List<Set<String>> chunks) {

  static final int CHUNK_SIZE = 32;

  public RecentEventIds {
    if (capacity < CHUNK_SIZE) {
      throw new IllegalArgumentException("capacity must be at least " + CHUNK_SIZE);
    }
    chunks = chunks == null ? List.of() : List.copyOf(chunks);
  }

  public static RecentEventIds withCapacity(int capacity) {
    return new RecentEventIds(capacity, List.of());
  }

  public boolean contains(String eventId) {
    for (int i = chunks.size() - 1; i >= 0; i--) {
      if (chunks.get(i).contains(eventId)) {
        return true;
      }
    }
    return false;
  }

  public int size() {
    int size = 0;
    for (Set<String> chunk : chunks) {
      size += chunk.size();
    }
    return size;
  }

  public RecentEventIds add(String eventId) {
    List<Set<String>> next = new ArrayList<>(chunks.size() + 1);
    next.addAll(chunks);
    Set<String> last = next.isEmpty() ? null : next.get(next.size() - 1);
    if (last != null && last.contains(eventId)) {
      return this;
    }
    if (last == null || last.size() >= CHUNK_SIZE) {
      next.add(Set.of(eventId));
    } else {
      String[] grown = last.toArray(new String[last.size() + 1]);
      grown[last.size()] = eventId;
      next.set(next.size() - 1, Set.of(grown));
    }
    // Drop whole chunks once the window holds more than its capacity.
    int size = 0;
    for (Set<String> chunk : next) {
      size += chunk.size();
    }
    while (size - next.get(0).size() >= capacity) {
      size -= next.remove(0).size();
    }
    return new RecentEventIds(capacity, next);
  }
}
