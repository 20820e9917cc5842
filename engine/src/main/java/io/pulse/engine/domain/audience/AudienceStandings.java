package io.pulse.engine.domain.audience;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user's standings by audience id: an immutable map kept as arrays, in the order the audiences
 * were first stood in. A user's audiences change on most events (a hit remembered, a membership
 * changed): a change copies one small array, where a hash map would copy every entry into a mutable
 * map and then into an immutable one.
 *
 * <p>The ids and their hash codes are a {@link Layout} that every user whose audiences were first
 * stood in the same order shares, so a lookup compares hash codes that stay in the processor's
 * cache from one user to the next, and a user holds only its standings.
 *
 * <p>Each also remembers, for audiences whose membership only their own behaviour and the time
 * decide, the next moment that membership may change: an event that leaves such an audience's
 * behaviour as it was need not read it again, neither to decide the user's membership nor to find
 * when to wake the user next. Derived, so left out of equality and of the stored form.
 *
 * <p>Equal to any map with the same entries, and stored as any map is.
 */
final class AudienceStandings extends AbstractMap<String, AudienceStanding> {

  /** How many layouts users grow before the shared tree of layouts starts afresh. */
  static final int LAYOUTS_SHARED_AT_MOST = 10_000;

  /** A next moment not known: worked out anew when asked for. */
  static final long UNKNOWN = Long.MIN_VALUE;

  /** No next moment: time alone never changes the membership. */
  static final long NEVER = Long.MAX_VALUE;

  static final AudienceStandings EMPTY =
      new AudienceStandings(Layout.ROOT, new AudienceStanding[0], null);

  private final Layout layout;
  private final AudienceStanding[] standings;

  // The remembered next moments; null for none. Replaced whole, never changed in place: a state
  // handed out by its user may be read, and its moments worked out, on another thread at once.
  private volatile Moments moments;

  private AudienceStandings(Layout layout, AudienceStanding[] standings, Moments moments) {
    this.layout = layout;
    this.standings = standings;
    this.moments = moments;
  }

  /**
   * Next moments by index, in epoch milliseconds, each the first moment after the time it was
   * worked out at when a membership may change: it holds at any later time before it, while the
   * standing stays the same (a changed standing is a new instance that forgets it) and the
   * audiences are the same ones. {@code latestWorkedOut} is the latest of those times, rounded up
   * to the millisecond.
   */
  private record Moments(Audiences under, long[] byIndex, long latestWorkedOut) {

    /** These moments, with the one at {@code index} forgotten, over {@code length} standings. */
    Moments forgetting(int index, int length) {
      long[] kept = Arrays.copyOf(byIndex, length);
      // A standing added is the one at the end.
      kept[index] = UNKNOWN;
      return new Moments(under, kept, latestWorkedOut);
    }
  }

  /**
   * {@code map} as standings: itself when it already is; refuses a null id or standing, as
   * Map.copyOf does. Read from a stored form, so built entry by entry, an id held twice once, and
   * with the standings users share where a stored one equals one of them.
   */
  static AudienceStandings copyOf(Map<String, AudienceStanding> map) {
    if (map instanceof AudienceStandings own) {
      return own;
    }
    AudienceStandings copied = EMPTY;
    for (Map.Entry<String, AudienceStanding> entry : map.entrySet()) {
      copied =
          copied.with(
              Objects.requireNonNull(entry.getKey(), "audience id"),
              AudienceStanding.shared(Objects.requireNonNull(entry.getValue(), "standing")));
    }
    return copied;
  }

  /** These standings with {@code standing} for {@code id}, in its place if it had one. */
  AudienceStandings with(String id, AudienceStanding standing) {
    Objects.requireNonNull(standing, "standing");
    int hash = id.hashCode();
    int index = layout.indexOf(id, hash);
    Moments held = moments;
    if (index >= 0) {
      AudienceStanding[] replaced = standings.clone();
      replaced[index] = standing;
      return new AudienceStandings(
          layout, replaced, held == null ? null : held.forgetting(index, replaced.length));
    }
    AudienceStanding[] grown = Arrays.copyOf(standings, standings.length + 1);
    grown[standings.length] = standing;
    return new AudienceStandings(
        layout.then(id, hash),
        grown,
        held == null ? null : held.forgetting(standings.length, grown.length));
  }

  /** Where {@code id}'s standing is held, or -1 when there is none. */
  int indexOf(String id) {
    return layout.indexOf(id, id.hashCode());
  }

  /** The standing held at {@code index}. */
  AudienceStanding standingAt(int index) {
    return standings[index];
  }

  /**
   * The next moment remembered for the standing at {@code index} under {@code audiences}, in epoch
   * milliseconds, as it holds at {@code now}: {@link #NEVER} for none, {@link #UNKNOWN} when none
   * is remembered or it may not hold (it is not after {@code now}, or some moment of these
   * standings was worked out after {@code now}).
   */
  long nextMoment(int index, Audiences audiences, Instant now) {
    Moments held = moments;
    if (held == null || held.under() != audiences) {
      return UNKNOWN;
    }
    // Whole milliseconds: a moment is after now when it is after now's millisecond, and now is not
    // before the latest time a moment was worked out at when its millisecond is not before that
    // time rounded up.
    long nowMillis = now.toEpochMilli();
    if (nowMillis < held.latestWorkedOut()) {
      return UNKNOWN;
    }
    long moment = held.byIndex()[index];
    return moment > nowMillis ? moment : UNKNOWN;
  }

  /**
   * Starts remembering the next moments worked out under {@code audiences} at {@code now}: they are
   * kept by {@link Remembering#remember} and published together by {@link Remembering#keep}.
   */
  Remembering remembering(Audiences audiences, Instant now) {
    return new Remembering(audiences, now);
  }

  /** Next moments worked out in one search, to remember together. */
  final class Remembering {
    private final Audiences audiences;
    private final Instant now;
    private long[] byIndex;

    private Remembering(Audiences audiences, Instant now) {
      this.audiences = audiences;
      this.now = now;
    }

    /**
     * Remembers {@code moment}, the next moment the membership held at {@code index} may change,
     * for a membership that holds at the time the moment is worked out at: until the moment, the
     * audience is then taken to stand as it stands. A moment finer than a millisecond is not
     * remembered, since it could not be given back as it was.
     */
    void remember(int index, Optional<Instant> moment) {
      long millis = NEVER;
      if (moment.isPresent()) {
        Instant at = moment.get();
        if (at.getNano() % 1_000_000 != 0
            || at.getEpochSecond() >= Long.MAX_VALUE / 1000 - 1
            || at.getEpochSecond() <= Long.MIN_VALUE / 1000 + 1) {
          return;
        }
        millis = at.toEpochMilli();
      }
      if (byIndex == null) {
        byIndex = new long[standings.length];
        Arrays.fill(byIndex, UNKNOWN);
      }
      byIndex[index] = millis;
    }

    /**
     * Publishes what was remembered, with the moments remembered before under the same audiences.
     * Two searches at once may each publish without the other's moments: one forgotten is worked
     * out again.
     */
    void keep() {
      if (byIndex == null) {
        return;
      }
      Moments held = moments;
      long latest = now.toEpochMilli() + (now.getNano() % 1_000_000 == 0 ? 0 : 1);
      if (held != null && held.under() == audiences) {
        latest = Math.max(latest, held.latestWorkedOut());
        for (int i = 0; i < byIndex.length; i++) {
          if (byIndex[i] == UNKNOWN) {
            byIndex[i] = held.byIndex()[i];
          }
        }
      }
      moments = new Moments(audiences, byIndex, latest);
    }
  }

  /**
   * These standings without {@code id}'s; rare (an audience deleted), so rebuilt entry by entry.
   */
  AudienceStandings without(String id) {
    int index = layout.indexOf(id, id.hashCode());
    if (index < 0) {
      return this;
    }
    AudienceStandings kept = EMPTY;
    for (int i = 0; i < standings.length; i++) {
      if (i != index) {
        kept = kept.with(layout.ids[i], standings[i]);
      }
    }
    return kept;
  }

  /** Whether these standings hold their ids in the very arrays that {@code other}'s do. */
  boolean sharesIdsWith(AudienceStandings other) {
    return layout == other.layout;
  }

  /**
   * Audience ids in the order a user first stood in them, with their hash codes; shared by every
   * user who stood in the same audiences in the same order. Each layout knows the layouts one id
   * longer that users have grown it into. Their number is bounded: audiences defined and deleted
   * over a long life, in many orders, would grow them without end, so past {@link
   * #LAYOUTS_SHARED_AT_MOST} the tree starts afresh from the root. A user keeps the layout it holds
   * (a layout is never changed, only no longer found from the root), and users who grow theirs from
   * then on share the new tree.
   */
  private static final class Layout {
    static final Layout ROOT = new Layout(new String[0], new int[0]);
    private static final AtomicInteger LAYOUTS_GROWN = new AtomicInteger();

    private final String[] ids;
    private final int[] hashes;
    private final ConcurrentHashMap<String, Layout> grown = new ConcurrentHashMap<>(2);

    private Layout(String[] ids, int[] hashes) {
      this.ids = ids;
      this.hashes = hashes;
    }

    int indexOf(Object id, int hash) {
      for (int i = 0; i < hashes.length; i++) {
        if (hashes[i] == hash && ids[i].equals(id)) {
          return i;
        }
      }
      return -1;
    }

    /**
     * This layout followed by {@code id}: the one users already grew it into when there is one,
     * since every user standing in a first audience would otherwise hold arrays of its own.
     */
    Layout then(String id, int hash) {
      Layout shared = grown.get(id);
      if (shared != null) {
        return shared;
      }
      String[] longerIds = Arrays.copyOf(ids, ids.length + 1);
      int[] longerHashes = Arrays.copyOf(hashes, hashes.length + 1);
      longerIds[ids.length] = id;
      longerHashes[ids.length] = hash;
      Layout longer = new Layout(longerIds, longerHashes);
      Layout raced = grown.putIfAbsent(id, longer);
      if (raced != null) {
        return raced;
      }
      if (LAYOUTS_GROWN.incrementAndGet() >= LAYOUTS_SHARED_AT_MOST) {
        // Nothing depends on which layout a user holds, only on its ids: starting afresh while
        // other threads grow theirs changes no answer.
        LAYOUTS_GROWN.set(0);
        ROOT.grown.clear();
      }
      return longer;
    }
  }

  @Override
  public AudienceStanding get(Object id) {
    if (id == null) {
      return null;
    }
    int index = layout.indexOf(id, id.hashCode());
    return index < 0 ? null : standings[index];
  }

  @Override
  public boolean containsKey(Object id) {
    return get(id) != null;
  }

  @Override
  public int size() {
    return standings.length;
  }

  @Override
  public boolean isEmpty() {
    return standings.length == 0;
  }

  @Override
  public Set<Map.Entry<String, AudienceStanding>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, AudienceStanding>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < standings.length;
          }

          @Override
          public Map.Entry<String, AudienceStanding> next() {
            if (next >= standings.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, AudienceStanding> entry =
                new AbstractMap.SimpleImmutableEntry<>(layout.ids[next], standings[next]);
            next++;
            return entry;
          }
        };
      }

      @Override
      public int size() {
        return standings.length;
      }
    };
  }
}
