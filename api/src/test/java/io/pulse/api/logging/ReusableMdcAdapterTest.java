package io.pulse.api.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ReusableMdcAdapterTest {

  private final ReusableMdcAdapter mdc = new ReusableMdcAdapter();

  @Test
  void aKeyHoldsTheLastValuePutUntilItIsRemovedOrCleared() {
    mdc.put("persistenceId", "user|default|u-1");
    mdc.put("persistencePhase", "running-cmd");
    mdc.put("persistencePhase", "persist-evt");

    assertEquals("user|default|u-1", mdc.get("persistenceId"));
    assertEquals("persist-evt", mdc.get("persistencePhase"));
    assertEquals(
        Map.of("persistenceId", "user|default|u-1", "persistencePhase", "persist-evt"),
        mdc.getCopyOfContextMap());

    mdc.remove("persistenceId");
    assertNull(mdc.get("persistenceId"));
    assertEquals(Map.of("persistencePhase", "persist-evt"), mdc.getCopyOfContextMap());

    mdc.clear();
    assertNull(mdc.get("persistencePhase"));
    assertNull(mdc.getCopyOfContextMap(), "nothing held");
  }

  @Test
  void removingAKeyInTheMiddleKeepsTheOthers() {
    for (int i = 0; i < 5; i++) {
      mdc.put("k" + i, "v" + i);
    }
    mdc.remove("k2");
    mdc.remove("absent");
    assertEquals(Map.of("k0", "v0", "k1", "v1", "k3", "v3", "k4", "v4"), mdc.getCopyOfContextMap());
  }

  @Test
  void moreKeysThanTheInitialRoomAreAllKept() {
    Map<String, String> expected = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      mdc.put("key-" + i, "value-" + i);
      expected.put("key-" + i, "value-" + i);
    }
    assertEquals(expected, mdc.getCopyOfContextMap());
    // Equal keys that are not the same object find the same entry.
    mdc.put(new String("key-7"), "changed");
    assertEquals("changed", mdc.get("key-7"));
    assertEquals(20, mdc.getCopyOfContextMap().size());
  }

  @Test
  void aCopyIsTheContextAtTheTimeItWasTaken() {
    mdc.put("pekkoSource", "pekko://pulse/user/a");
    Map<String, String> copy = mdc.getCopyOfContextMap();
    mdc.put("pekkoSource", "pekko://pulse/user/b");
    mdc.clear();

    assertEquals(Map.of("pekkoSource", "pekko://pulse/user/a"), copy);
  }

  @Test
  void aContextMapReplacesWhatWasHeld() {
    mdc.put("old", "1");
    mdc.setContextMap(Map.of("new", "2"));
    assertEquals(Map.of("new", "2"), mdc.getCopyOfContextMap());
    mdc.setContextMap(null);
    assertNull(mdc.getCopyOfContextMap());
  }

  @Test
  void eachThreadHasItsOwnContext() throws Exception {
    mdc.put("thread", "main");
    var executor = Executors.newSingleThreadExecutor();
    try {
      String seenElsewhere =
          CompletableFuture.supplyAsync(
                  () -> {
                    String before = mdc.get("thread");
                    mdc.put("thread", "other");
                    return before;
                  },
                  executor)
              .get();
      assertNull(seenElsewhere);
      assertEquals("main", mdc.get("thread"));
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void aNullKeyIsRefusedAsSlf4jRequires() {
    assertThrows(IllegalArgumentException.class, () -> mdc.put(null, "value"));
    assertNull(mdc.get(null));
  }

  @Test
  void stacksByKeyAreKeptApart() {
    mdc.pushByKey("request", "r-1");
    mdc.pushByKey("request", "r-2");
    assertEquals(List.of("r-2", "r-1"), List.copyOf(mdc.getCopyOfDequeByKey("request")));
    assertEquals("r-2", mdc.popByKey("request"));
    mdc.clearDequeByKey("request");
    assertEquals(0, mdc.getCopyOfDequeByKey("request").size());
    assertNull(mdc.getCopyOfContextMap(), "stacks are not part of the context map");
  }
}
