package io.pulse.engine.domain.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkedMapTest {

  @Test
  void itBehavesAsAnImmutableMapWhoseChangesLeaveTheOriginalAlone() {
    Map<String, Integer> expected = new HashMap<>();
    ChunkedMap<Integer> map = ChunkedMap.empty();
    for (int i = 0; i < 5000; i++) {
      ChunkedMap<Integer> before = map;
      map = map.with("k" + i, i);
      expected.put("k" + i, i);
      assertNull(before.get("k" + i));
    }
    ChunkedMap<Integer> replaced = map.with("k7", 70);
    ChunkedMap<Integer> removed = replaced.without("k8");

    assertEquals(expected, map);
    assertEquals(5000, replaced.size());
    assertEquals(70, replaced.get("k7"));
    assertEquals(7, map.get("k7"));
    assertEquals(4999, removed.size());
    assertFalse(removed.containsKey("k8"));
    assertEquals(map, ChunkedMap.copyOf(new HashMap<>(map)));
    assertEquals(new HashMap<>(map).hashCode(), map.hashCode());
    assertSame(removed, removed.without("absent"));
    ChunkedMap<Integer> full = map;
    assertThrows(UnsupportedOperationException.class, () -> full.put("x", 1));
  }
}
