package io.pulse.api.http;

import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.KeyLimits;
import io.pulse.engine.domain.access.RateDecision;
import io.pulse.engine.domain.access.TokenBucket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The rate limits of every key on this node: a token bucket of requests and one of events per key,
 * each refilled at the key's rate per second (or the node's default). Limits are per node: a
 * cluster of n nodes behind a balancer lets a key do up to n times its limit.
 */
public final class KeyBudgets {

  private final KeyLimits defaults;
  private final LongSupplier nanoTime;
  private final Map<String, Budget> byKey = new ConcurrentHashMap<>();

  public KeyBudgets(KeyLimits defaults) {
    this(defaults, System::nanoTime);
  }

  KeyBudgets(KeyLimits defaults, LongSupplier nanoTime) {
    if (defaults.requestsPerSecond() < 1 || defaults.eventsPerSecond() < 1) {
      throw new IllegalArgumentException("default limits must be positive: " + defaults);
    }
    this.defaults = defaults;
    this.nanoTime = nanoTime;
  }

  /** The budget of {@code key} on this node. */
  public Budget of(ApiKey key) {
    Budget budget = byKey.get(key.id());
    return budget != null
        ? budget
        : byKey.computeIfAbsent(key.id(), id -> new Budget(key.limits().orDefaults(defaults)));
  }

  /** One key's two buckets. */
  public final class Budget {
    private final AtomicReference<TokenBucket> requests;
    private final AtomicReference<TokenBucket> events;

    Budget(KeyLimits limits) {
      long now = nanoTime.getAsLong();
      this.requests = new AtomicReference<>(TokenBucket.full(limits.requestsPerSecond(), now));
      this.events = new AtomicReference<>(TokenBucket.full(limits.eventsPerSecond(), now));
    }

    /** Takes one request from the budget. */
    public RateDecision takeRequest() {
      return take(requests, 1);
    }

    /** Takes {@code count} events from the budget. */
    public RateDecision takeEvents(int count) {
      return take(events, count);
    }

    /** What is left of the event budget, without taking anything. */
    public RateDecision events() {
      return events.get().peek(nanoTime.getAsLong());
    }

    private RateDecision take(AtomicReference<TokenBucket> bucket, long amount) {
      while (true) {
        TokenBucket held = bucket.get();
        TokenBucket.Taken taken = held.take(amount, nanoTime.getAsLong());
        if (bucket.compareAndSet(held, taken.bucket())) {
          return taken.decision();
        }
      }
    }
  }
}
