package io.pulse.persistence.journal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Answers lookups by key with one query for many keys: lookups that arrive while the most queries
 * allowed are in flight wait, and the next query takes all of them (up to a batch size).
 *
 * <p>An idle lookup is queried at once, alone, so a lone request pays no added delay; under load
 * the number of queries grows with the number of round trips instead of with the number of keys.
 * This is what turns a burst of thousands of users starting at once (each needing its latest
 * snapshot and highest sequence number) into a few dozen queries.
 */
final class CoalescingLookup<V> {

  private final int maxBatch;
  private final int maxInFlight;
  private final Function<List<String>, CompletionStage<Map<String, V>>> query;
  private final ConcurrentLinkedQueue<Waiting<V>> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param query answers a batch of distinct keys with the value of each key that has one; a key
   *     without a value is left out of the map
   */
  CoalescingLookup(
      int maxBatch,
      int maxInFlight,
      Function<List<String>, CompletionStage<Map<String, V>>> query) {
    if (maxBatch < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
    }
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.query = query;
  }

  CompletionStage<Optional<V>> lookup(String key) {
    Waiting<V> lookup = new Waiting<>(key, new CompletableFuture<>());
    waiting.add(lookup);
    drain();
    return lookup.result;
  }

  private void drain() {
    while (!waiting.isEmpty()) {
      int running = inFlight.get();
      if (running >= maxInFlight) {
        // A query in flight drains again when it completes.
        return;
      }
      if (!inFlight.compareAndSet(running, running + 1)) {
        continue;
      }
      List<Waiting<V>> batch = new ArrayList<>();
      Waiting<V> next;
      while (batch.size() < maxBatch && (next = waiting.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) {
        inFlight.decrementAndGet();
        continue;
      }
      run(batch);
    }
  }

  private void run(List<Waiting<V>> batch) {
    List<String> keys = batch.stream().map(Waiting::key).distinct().toList();
    CompletionStage<Map<String, V>> answered;
    try {
      answered = query.apply(keys);
    } catch (RuntimeException e) {
      answered = CompletableFuture.failedFuture(e);
    }
    answered.whenComplete(
        (values, failure) -> {
          inFlight.decrementAndGet();
          complete(batch, values, failure);
          drain();
        });
  }

  private static <V> void complete(
      Collection<Waiting<V>> batch, Map<String, V> values, Throwable failure) {
    for (Waiting<V> lookup : batch) {
      if (failure != null) {
        lookup.result.completeExceptionally(failure);
      } else {
        lookup.result.complete(Optional.ofNullable(values.get(lookup.key)));
      }
    }
  }

  private record Waiting<V>(String key, CompletableFuture<Optional<V>> result) {}
}
