package io.pulse.engine.domain.watch;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.TraitsChanged;
import io.pulse.engine.domain.profile.Traits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one user marks for the campaigns that watch it: how many events of each counted watch the
 * user has had since the first, and how far each yearly date watch has come. Pure: every change
 * returns a new instance, and only journaled changes make one.
 */
public record UserWatches(Map<String, Long> counts, Map<String, DateMark> dates) {

  public static final UserWatches NONE = new UserWatches(Map.of(), Map.of());

  public UserWatches {
    counts = counts == null ? Map.of() : Map.copyOf(counts);
    dates = dates == null ? Map.of() : Map.copyOf(dates);
  }

  public boolean isEmpty() {
    return counts.isEmpty() && dates.isEmpty();
  }

  /** The user's events of counted watch {@code key} so far. */
  public long count(String key) {
    Long count = counts.get(key);
    return count == null ? 0 : count;
  }

  /**
   * Whether the user, who has events, lacks the count of a watch that {@code watches} counts: it
   * can only be had from the user's history.
   */
  public boolean needsHistory(Watches watches) {
    return !counts.keySet().containsAll(watches.counted());
  }

  /**
   * The marks {@code watches} call for at {@code now}, when they differ from these: counts of
   * watches no longer counted and dates no longer watched are dropped; a new count starts at 0 for
   * a user without events (one with events needs {@link #recounted} first); a new date watch starts
   * at {@code now} for a user whose trait holds a date, so that no earlier moment is theirs.
   *
   * @throws IllegalStateException when a user with events lacks a count: recount it first
   */
  public Optional<UserWatches> alignedTo(
      Watches watches, Traits traits, boolean hasEvents, Instant now) {
    if (inLineWith(watches, traits)) {
      // The common case, on every event of a watched tenant: nothing to build.
      return Optional.empty();
    }
    Map<String, Long> nextCounts = new TreeMap<>();
    for (String key : watches.counted()) {
      Long held = counts.get(key);
      if (held == null && hasEvents) {
        throw new IllegalStateException("the count of " + key + " needs the user's history");
      }
      nextCounts.put(key, held == null ? 0L : held);
    }
    Map<String, DateMark> nextDates = new TreeMap<>();
    watches
        .dates()
        .forEach(
            (key, watch) -> {
              DateMark held = dates.get(key);
              if (held != null) {
                nextDates.put(key, held);
              } else if (traits.dateOf(watch.trait()).isPresent()) {
                nextDates.put(key, DateMark.startingAt(watch, now));
              }
            });
    UserWatches next = new UserWatches(nextCounts, nextDates);
    return next.equals(this) ? Optional.empty() : Optional.of(next);
  }

  private boolean inLineWith(Watches watches, Traits traits) {
    if (!counts.keySet().equals(watches.counted())
        || !watches.dates().keySet().containsAll(dates.keySet())) {
      return false;
    }
    for (Map.Entry<String, DateWatch> watch : watches.dates().entrySet()) {
      if (!dates.containsKey(watch.getKey())
          && traits.dateOf(watch.getValue().trait()).isPresent()) {
        return false;
      }
    }
    return true;
  }

  /** With every count of {@code watches} taken from the user's accepted {@code history}. */
  public UserWatches recounted(Watches watches, List<BehaviouralEvent> history) {
    return new UserWatches(watches.countsIn(history), dates);
  }

  /** With the counts an accepted event's {@code hits} carry. */
  public UserWatches withHits(List<WatchHit> hits) {
    if (hits.isEmpty()) {
      return this;
    }
    Map<String, Long> next = new HashMap<>(counts);
    for (WatchHit hit : hits) {
      if (hit.occurrence() > 0) {
        next.put(hit.watch(), hit.occurrence());
      }
    }
    return new UserWatches(next, dates);
  }

  /**
   * The yearly moments of {@code watches} that are due at {@code now}: for each date watch, the
   * latest moment since its mark that is not later than {@code now} (an older one, missed while
   * nothing could wake the user, is not reached any more).
   */
  public List<DateReached> due(Watches watches, Traits traits, Instant now, String userId) {
    List<DateReached> due = new ArrayList<>(0);
    dates.forEach(
        (key, mark) -> {
          DateWatch watch = watches.dates().get(key);
          if (watch == null) {
            return;
          }
          DateWatch.Moment latest = null;
          Instant after = mark.upTo();
          int year = mark.lastYear();
          // Bounded: each moment is a year later than the one before.
          for (int moments = 0; moments < 1000; moments++) {
            Optional<DateWatch.Moment> next = watch.nextAfter(after, year, traits);
            if (next.isEmpty() || next.get().at().isAfter(now)) {
              break;
            }
            latest = next.get();
            after = latest.at();
            year = latest.date().getYear();
          }
          if (latest != null) {
            due.add(
                new DateReached(
                    DateReached.idFor(userId, key, latest.date().getYear()),
                    userId,
                    key,
                    watch.trait(),
                    latest.date().toString(),
                    latest.at()));
          }
        });
    return due;
  }

  /** The next yearly moment of {@code watches} after the marks, if any. */
  public Optional<Instant> nextMoment(Watches watches, Traits traits) {
    Instant next = null;
    for (Map.Entry<String, DateMark> entry : dates.entrySet()) {
      DateWatch watch = watches.dates().get(entry.getKey());
      if (watch == null) {
        continue;
      }
      DateMark mark = entry.getValue();
      Optional<DateWatch.Moment> moment = watch.nextAfter(mark.upTo(), mark.lastYear(), traits);
      if (moment.isPresent() && (next == null || moment.get().at().isBefore(next))) {
        next = moment.get().at();
      }
    }
    return Optional.ofNullable(next);
  }

  /** With {@code reached} recorded: its watch's next moment is a later year's. */
  public UserWatches reached(DateReached reached) {
    DateMark held = dates.get(reached.watch());
    if (held == null) {
      return this;
    }
    Map<String, DateMark> next = new HashMap<>(dates);
    next.put(reached.watch(), held.reached(reached.at(), reached.year()));
    return new UserWatches(counts, next);
  }

  /** After a change of traits: the moments of a moved date or zone count from the change on. */
  public UserWatches after(TraitsChanged change) {
    if (dates.isEmpty() || change.isEmpty()) {
      return this;
    }
    Map<String, DateMark> next = new HashMap<>(dates);
    next.replaceAll((key, mark) -> mark.after(change));
    return next.equals(dates) ? this : new UserWatches(counts, next);
  }
}
