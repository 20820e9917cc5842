package io.pulse.engine.domain.audience;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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

  /**
   * The timestamps (epoch milliseconds, oldest first) of the most recent matching events. Held as
   * primitives: every window is counted at every event, and a list of boxed times costs a memory
   * read per time, of objects scattered over the heap, where an array is one read.
   */
  // Only the annotated creator and accessor make the stored form: a field renamed never adds to it.
  @JsonAutoDetect(
      fieldVisibility = JsonAutoDetect.Visibility.NONE,
      getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  final class Recent implements Behaviour {

    public static final Recent NONE = new Recent(new long[0]);

    private final long[] millis;

    private Recent(long[] millis) {
      this.millis = millis;
    }

    @JsonCreator
    public Recent(@JsonProperty("millis") List<Long> millis) {
      this(millis == null ? new long[0] : millis.stream().mapToLong(Long::longValue).toArray());
    }

    @JsonProperty("millis")
    public List<Long> millis() {
      return Arrays.stream(millis).boxed().toList();
    }

    /** With an event at {@code at}, keeping the {@code keep} most recent. */
    Recent with(Instant at, int keep) {
      long added = at.toEpochMilli();
      int position = millis.length;
      while (position > 0 && added < millis[position - 1]) {
        position--;
      }
      long[] grown = new long[millis.length + 1];
      System.arraycopy(millis, 0, grown, 0, position);
      grown[position] = added;
      System.arraycopy(millis, position, grown, position + 1, millis.length - position);
      int dropped = Math.max(0, grown.length - keep);
      return new Recent(dropped == 0 ? grown : Arrays.copyOfRange(grown, dropped, grown.length));
    }

    /** How many of the held events fall in {@code (now - within, now]}. */
    int countWithin(Duration within, Instant now) {
      long to = now.toEpochMilli();
      long from = to - within.toMillis();
      int count = 0;
      for (long held : millis) {
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
      long windowMillis = within.toMillis();
      long next = Long.MAX_VALUE;
      for (long held : millis) {
        long leaves = held + windowMillis;
        if (leaves > nowMillis) {
          next = Math.min(next, leaves);
        }
        if (held > nowMillis) {
          next = Math.min(next, held);
        }
      }
      return next == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(next));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Recent recent && Arrays.equals(millis, recent.millis);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(millis);
    }

    @Override
    public String toString() {
      return "Recent[millis=" + Arrays.toString(millis) + "]";
    }
  }

  /**
   * A wait for a follow-up: {@code started} is the latest awaited event (epoch milliseconds, null
   * before the first), {@code followed} the latest follow-up event. Held as primitives, as a
   * window's times are: every wait is read at every event, and a boxed time is one more object
   * scattered over the heap per read.
   */
  // Only the annotated creator and accessors make the stored form: a field renamed never adds to
  // it.
  @JsonAutoDetect(
      fieldVisibility = JsonAutoDetect.Visibility.NONE,
      getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  final class Wait implements Behaviour {

    /** A moment not reached yet: no awaited event, or no follow-up. */
    private static final long NOT_YET = Long.MIN_VALUE;

    public static final Wait NONE = new Wait(NOT_YET, NOT_YET);

    private final long started;
    private final long followed;

    private Wait(long started, long followed) {
      this.started = started;
      this.followed = followed;
    }

    @JsonCreator
    public Wait(@JsonProperty("started") Long started, @JsonProperty("followed") Long followed) {
      this(started == null ? NOT_YET : started, followed == null ? NOT_YET : followed);
    }

    @JsonProperty("started")
    public Long started() {
      return started == NOT_YET ? null : started;
    }

    @JsonProperty("followed")
    public Long followed() {
      return followed == NOT_YET ? null : followed;
    }

    Wait start(Instant at) {
      long millis = at.toEpochMilli();
      return millis > started ? new Wait(millis, followed) : this;
    }

    Wait follow(Instant at) {
      long millis = at.toEpochMilli();
      return millis > followed ? new Wait(started, millis) : this;
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
      return started != NOT_YET && followed < started;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Wait wait && started == wait.started && followed == wait.followed;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(started) * 31 + Long.hashCode(followed);
    }

    @Override
    public String toString() {
      return "Wait[started=" + started() + ", followed=" + followed() + "]";
    }
  }
}
