package io.pulse.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentEventIdsTest {

  /**
   * The window as it is specified, kept the plain way: a list of sets, the newest last, copied on
   * every add. The window under test must remember, forget and store exactly what this one does.
   */
  private record Reference(int capacity, List<Set<String>> chunks) {

    static Reference withCapacity(int capacity) {
      return new Reference(capacity, List.of());
    }

    boolean contains(String id) {
      return chunks.stream().anyMatch(chunk -> chunk.contains(id));
    }

    Reference add(String id) {
      List<Set<String>> next = new ArrayList<>();
      for (Set<String> chunk : chunks) {
        next.add(new LinkedHashSet<>(chunk));
      }
      Set<String> last = next.isEmpty() ? null : next.get(next.size() - 1);
      if (last != null && last.contains(id)) {
        return this;
      }
      if (last == null || last.size() >= RecentEventIds.CHUNK_SIZE) {
        next.add(new LinkedHashSet<>(List.of(id)));
      } else {
        last.add(id);
      }
      int size = next.stream().mapToInt(Set::size).sum();
      while (size - next.get(0).size() >= capacity) {
        size -= next.remove(0).size();
      }
      return new Reference(capacity, next);
    }
  }

  @Test
  void aWindowRemembersForgetsAndStoresWhatTheSpecifiedWindowDoes() {
    // given ids drawn from a small pool, so that many come again while still in the window, some
    // after they left it, and some while the newest chunk holds them
    Random random = new Random(7);
    for (int capacity : new int[] {32, 33, 64, 100, 1024}) {
      RecentEventIds window = RecentEventIds.withCapacity(capacity);
      Reference reference = Reference.withCapacity(capacity);
      int pool = capacity * 3;

      for (int i = 0; i < 4_000; i++) {
        // when the caller adds an id it has not found, as recording does
        String id = "e-" + random.nextInt(pool);
        assertEquals(reference.contains(id), window.contains(id), id + " after " + i + " adds");
        if (!window.contains(id) || random.nextInt(8) == 0) {
          window = window.add(id);
          reference = reference.add(id);
        }

        // then it holds the same ids in the same chunks
        assertEquals(reference.chunks(), window.chunks(), "capacity " + capacity + ", add " + i);
        assertEquals(reference.chunks().stream().mapToInt(Set::size).sum(), window.size(), "size");
      }
    }
  }

  @Test
  void windowsBuiltFromTheSameOneDoNotSeeEachOthersIds() {
    // given a window whose newest chunk has room, and one whose newest chunk is full
    RecentEventIds roomy = RecentEventIds.withCapacity(64);
    for (int i = 0; i < 40; i++) {
      roomy = roomy.add("e-" + i);
    }
    RecentEventIds full = RecentEventIds.withCapacity(64);
    for (int i = 0; i < RecentEventIds.CHUNK_SIZE * 2; i++) {
      full = full.add("e-" + i);
    }

    for (RecentEventIds base : List.of(roomy, full)) {
      // when two ids are added to the same window, each to its own copy
      RecentEventIds left = base.add("left");
      RecentEventIds right = base.add("right");

      // then neither copy, nor the window they came from, holds the other's id
      assertTrue(left.contains("left"));
      assertFalse(left.contains("right"));
      assertTrue(right.contains("right"));
      assertFalse(right.contains("left"));
      assertFalse(base.contains("left"));
      assertFalse(base.contains("right"));
      assertEquals(base.size() + 1, left.size());
      assertNotEquals(left, right);
    }
  }

  @Test
  void aWindowReadFromItsStoredFormIsTheSameWindowAndGoesOnTheSameWay() {
    // given a window of three chunks, the newest one not full
    RecentEventIds written = RecentEventIds.withCapacity(128);
    for (int i = 0; i < 70; i++) {
      written = written.add("e-" + i);
    }

    // when it is read back from what is stored: its capacity and its chunks
    RecentEventIds read = new RecentEventIds(written.capacity(), written.chunks());

    // then it is equal, holds the same ids, and an add changes both alike
    assertEquals(List.of(32, 32, 6), written.chunks().stream().map(Set::size).toList());
    assertEquals(written, read);
    assertEquals(written.hashCode(), read.hashCode());
    for (int i = 0; i < 70; i++) {
      assertTrue(read.contains("e-" + i), "e-" + i);
    }
    assertEquals(written.add("e-70").chunks(), read.add("e-70").chunks());
    assertSame(read, read.add("e-69"), "an id the newest chunk holds changes nothing");
  }

  @Test
  void aWindowStoredBeforeAnyIdIsEmpty() {
    RecentEventIds stored = new RecentEventIds(64, null);

    assertEquals(RecentEventIds.withCapacity(64), stored);
    assertEquals(0, stored.size());
    assertEquals(List.of(), stored.chunks());
    assertTrue(stored.add("e-1").contains("e-1"));
  }

  @Test
  void readingAStoredFormDropsWhatNoWindowWrites() {
    // given a stored form with an empty chunk and a null id, which no window writes
    Set<String> withNull = new HashSet<>(List.of("a"));
    withNull.add(null);
    List<Set<String>> chunks = new ArrayList<>();
    chunks.add(withNull);
    chunks.add(new HashSet<>());

    // when it is read
    RecentEventIds read = new RecentEventIds(64, chunks);

    // then it is the window that holds "a" alone, and goes on as that window does
    RecentEventIds written = RecentEventIds.withCapacity(64).add("a");
    assertEquals(written, read);
    assertEquals(List.of(Set.of("a")), read.chunks());
    assertEquals(1, read.size());
    assertTrue(read.contains("a"));
    assertEquals(written.add("b").chunks(), read.add("b").chunks());
  }

  @Test
  void idsWithTheSameHashCodeAreToldApart() {
    // given ids that share a hash code ("Aa" and "BB" do, and so does every string built of them)
    List<String> colliding = List.of("AaAa", "AaBB", "BBAa", "BBBB");
    assertEquals(1, colliding.stream().map(String::hashCode).distinct().count());

    // when the window holds only the first of them, in the newest chunk and then in an older one
    RecentEventIds window = RecentEventIds.withCapacity(64).add("AaAa");

    // then the others are not taken for it, and each is added as an id of its own
    for (int round = 0; round < 2; round++) {
      assertTrue(window.contains("AaAa"));
      assertFalse(window.contains("AaBB"));
      assertFalse(window.contains("BBBB"));
      RecentEventIds more = window.add("BBAa").add("AaBB").add("BBBB");
      assertEquals(window.size() + 3, more.size());
      assertTrue(more.contains("BBBB"));
      assertSame(more, more.add("AaBB"), "an id the newest chunk holds changes nothing");
      for (int i = 0; i < 32; i++) {
        window = window.add("filler-" + i);
      }
    }

    // and so does a window read from its stored form
    RecentEventIds read = new RecentEventIds(64, List.of(Set.of("AaAa", "BBBB")));
    assertFalse(read.contains("AaBB"));
    assertTrue(read.contains("BBBB"));
    assertSame(read, read.add("BBBB"));
    assertEquals(3, read.add("BBAa").size());
  }
}
