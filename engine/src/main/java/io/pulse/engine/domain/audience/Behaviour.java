package io.pulse.engine.domain.audience;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one user's behaviour condition remembers: for a window, the timestamps of the most recent
 * matching events (only as many as the condition's count needs, so the state stays small and a
 * member leaves exactly when the oldest counted event falls out of the window); for an absence,
 * when the awaited event started the wait and whether the follow-up came after it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  // Stored in journals and snapshots: never renamed.
  @JsonSubTypes.Type(value = Behaviour.Recent.class, name = "recent"),
  @JsonSubTypes.Type(value = Behaviour.Wait.class, name = "wait")
})
public sealed interface Behaviour {

  /** The timestamps (epoch milliseconds, oldest first) of the most recent matching events. */
  record Recent(List<Long> millis) implements Behaviour {

    public static final Recent NONE = new Recent(List.of());

    public Recent {
      millis = millis == null ? List.of() : List.copyOf(millis);
    }

    /** With an event at {@code at}, keeping the {@code keep} most recent. */
    Recent with(Instant at, int keep) {
      List<Long> next = new ArrayList<>(millis.size() + 1);
      long added = at.toEpochMilli();
      boolean inserted = false;
      for (long held : millis) {
        if (!inserted && added < held) {
          next.add(added);
          inserted = true;
        }
        next.add(held);
      }
      if (!inserted) {
        next.add(added);
      }
      while (next.size() > keep) {
        next.remove(0);
      }
      return new Recent(next);
    }

    /** How many of the held events fall in {@code (now - within, now]}. */
    int countWithin(Duration within, Instant now) {
      long from = now.toEpochMilli() - within.toMillis();
      long to = now.toEpochMilli();
      int count = 0;
      // Indexed, not iterated: this runs for every window at every event.
      for (int i = 0; i < millis.size(); i++) {
        long held = millis.get(i);
        if (held > from && held <= to) {
          count++;
        }
      }
      return count;
    }

    /**
     * The first moment after {@code now} at which the count in the window changes with no new
     * event: an event leaving it, or one dated ahead of now entering it.
     */
    Optional<Instant> nextChange(Duration within, Instant now) {
      long nowMillis = now.toEpochMilli();
      long next = Long.MAX_VALUE;
      for (int i = 0; i < millis.size(); i++) {
        long held = millis.get(i);
        long leaves = held + within.toMillis();
        if (leaves > nowMillis) {
          next = Math.min(next, leaves);
        }
        if (held > nowMillis) {
          next = Math.min(next, held);
        }
      }
      return next == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(next));
    }
  }

  /**
   * A wait for a follow-up: {@code started} is the latest awaited event (epoch milliseconds, null
   * before the first), {@code followed} the latest follow-up event.
   */
  record Wait(Long started, Long followed) implements Behaviour {

    public static final Wait NONE = new Wait(null, null);

    Wait start(Instant at) {
      long millis = at.toEpochMilli();
      return started == null || millis > started ? new Wait(millis, followed) : this;
    }

    Wait follow(Instant at) {
      long millis = at.toEpochMilli();
      return followed == null || millis > followed ? new Wait(started, millis) : this;
    }

    /** The wait has run out at {@code now} with no follow-up since it started. */
    boolean ranOut(Duration within, Instant now) {
      return pending() && now.toEpochMilli() >= started + within.toMillis();
    }

    /** When the wait runs out, if it is under way and not over yet at {@code now}. */
    Optional<Instant> runsOut(Duration within, Instant now) {
      if (!pending()) {
        return Optional.empty();
      }
      long at = started + within.toMillis();
      return at > now.toEpochMilli() ? Optional.of(Instant.ofEpochMilli(at)) : Optional.empty();
    }

    private boolean pending() {
      return started != null && (followed == null || followed < started);
    }
  }
}
