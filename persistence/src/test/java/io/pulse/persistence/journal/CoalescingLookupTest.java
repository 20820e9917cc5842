package io.pulse.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CoalescingLookupTest {

  /** A query whose answers the test releases by hand, recording the keys of every call. */
  private static final class ManualQuery {
    final List<List<String>> calls = new ArrayList<>();
    final List<CompletableFuture<Map<String, Integer>>> answers = new ArrayList<>();

    synchronized CompletionStage<Map<String, Integer>> apply(List<String> keys) {
      calls.add(keys);
      CompletableFuture<Map<String, Integer>> answer = new CompletableFuture<>();
      answers.add(answer);
      return answer;
    }

    /** Answers call {@code index} with the length of each key, except keys starting with "none". */
    void answer(int index) {
      Map<String, Integer> values = new HashMap<>();
      for (String key : calls.get(index)) {
        if (!key.startsWith("none")) {
          values.put(key, key.length());
        }
      }
      answers.get(index).complete(values);
    }
  }

  @Test
  void aLoneLookupIsQueriedAtOnceAlone() throws Exception {
    ManualQuery query = new ManualQuery();
    CoalescingLookup<Integer> lookup = new CoalescingLookup<>(100, 1, query::apply);

    CompletableFuture<Optional<Integer>> result = lookup.lookup("abc").toCompletableFuture();

    assertEquals(List.of(List.of("abc")), query.calls);
    query.answer(0);
    assertEquals(Optional.of(3), result.get());
  }

  @Test
  void lookupsArrivingWhileAQueryIsInFlightShareTheNextQuery() throws Exception {
    ManualQuery query = new ManualQuery();
    CoalescingLookup<Integer> lookup = new CoalescingLookup<>(100, 1, query::apply);
    CompletableFuture<Optional<Integer>> first = lookup.lookup("a").toCompletableFuture();
    List<CompletableFuture<Optional<Integer>>> waiting = new ArrayList<>();
    for (String key : List.of("bb", "ccc", "none-1", "bb")) {
      waiting.add(lookup.lookup(key).toCompletableFuture());
    }
    assertEquals(1, query.calls.size(), "nothing more is queried while the limit is in flight");

    query.answer(0);

    assertEquals(Optional.of(1), first.get());
    assertEquals(2, query.calls.size());
    assertEquals(List.of("bb", "ccc", "none-1"), query.calls.get(1), "distinct keys, in order");
    query.answer(1);
    assertEquals(Optional.of(2), waiting.get(0).get());
    assertEquals(Optional.of(3), waiting.get(1).get());
    assertEquals(Optional.empty(), waiting.get(2).get(), "a key without a value is empty");
    assertEquals(Optional.of(2), waiting.get(3).get(), "a repeated key gets the same answer");
  }

  @Test
  void aBatchHoldsAtMostItsSizeAndTheRestWaitsForTheNextQuery() {
    ManualQuery query = new ManualQuery();
    CoalescingLookup<Integer> lookup = new CoalescingLookup<>(2, 1, query::apply);
    lookup.lookup("k0");
    for (int i = 1; i <= 5; i++) {
      lookup.lookup("k" + i);
    }

    query.answer(0);
    query.answer(1);
    query.answer(2);

    assertEquals(
        List.of(List.of("k0"), List.of("k1", "k2"), List.of("k3", "k4"), List.of("k5")),
        query.calls);
  }

  @Test
  void severalQueriesMayBeInFlightUpToTheLimit() {
    ManualQuery query = new ManualQuery();
    CoalescingLookup<Integer> lookup = new CoalescingLookup<>(100, 3, query::apply);
    for (int i = 0; i < 5; i++) {
      lookup.lookup("k" + i);
    }
    assertEquals(
        List.of(List.of("k0"), List.of("k1"), List.of("k2")),
        query.calls,
        "three alone, then the rest wait");
    query.answer(1);
    assertEquals(List.of("k3", "k4"), query.calls.get(3));
  }

  @Test
  void aFailedQueryFailsEveryLookupOfItsBatchAndTheNextBatchStillRuns() throws Exception {
    ManualQuery query = new ManualQuery();
    CoalescingLookup<Integer> lookup = new CoalescingLookup<>(100, 1, query::apply);
    CompletableFuture<Optional<Integer>> failing = lookup.lookup("a").toCompletableFuture();
    CompletableFuture<Optional<Integer>> later = lookup.lookup("bb").toCompletableFuture();

    query.answers.get(0).completeExceptionally(new IllegalStateException("database down"));

    ExecutionException failure = assertThrows(ExecutionException.class, failing::get);
    assertTrue(failure.getCause() instanceof IllegalStateException);
    query.answer(1);
    assertEquals(Optional.of(2), later.get());
  }

  @Test
  void nonsenseSizesAreRefused() {
    ManualQuery query = new ManualQuery();
    assertThrows(IllegalArgumentException.class, () -> new CoalescingLookup<>(0, 1, query::apply));
    assertThrows(IllegalArgumentException.class, () -> new CoalescingLookup<>(1, 0, query::apply));
  }
}
