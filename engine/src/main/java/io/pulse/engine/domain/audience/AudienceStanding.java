package io.pulse.engine.domain.audience;

import io.pulse.engine.domain.AudienceTransition;
import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One user's standing in one audience: under which version of its definition it is kept, whether
 * the user is a member, how many transitions it has had, and the behaviour each behaviour condition
 * remembers, by slot.
 */
public record AudienceStanding(
    String audience, long version, boolean member, long transitions, List<Behaviour> behaviours) {

  public AudienceStanding {
    Objects.requireNonNull(audience, "audience");
    // A slot whose condition has not counted an event yet holds null: List.copyOf refuses nulls.
    // Most standings remember no behaviour (every audience without one, for every user): they
    // share the one empty list rather than hold a copy each.
    behaviours =
        behaviours == null || behaviours.isEmpty()
            ? List.of()
            : behaviours instanceof Slots || behaviours instanceof OneSlot
                ? behaviours
                : slots(behaviours.toArray(Behaviour[]::new));
  }

  /**
   * Standings that remember no behaviour and have had at most this many transitions are shared by
   * every user who holds them: most users stand in most audiences that way (not yet in, or entered
   * once), and a shared standing costs a user no memory and stays in the processor's cache from one
   * user to the next.
   */
  static final int SHARED_UP_TO_TRANSITIONS = 2;

  /**
   * Bounds the shared standings, which audiences defined anew over a long life would grow: past it
   * they start afresh, and users keep the standings they hold.
   */
  static final int SHARED_AT_MOST = 10_000;

  private static final ConcurrentHashMap<AudienceStanding, AudienceStanding> SHARED =
      new ConcurrentHashMap<>();

  /** A user not yet in the audience under {@code version}, with no behaviour remembered. */
  public static AudienceStanding fresh(String audience, long version) {
    return shared(new AudienceStanding(audience, version, false, 0, List.of()));
  }

  /** {@code standing}, or the equal one users share when it is of the kind that is shared. */
  static AudienceStanding shared(AudienceStanding standing) {
    if (!standing.behaviours.isEmpty() || standing.transitions > SHARED_UP_TO_TRANSITIONS) {
      return standing;
    }
    AudienceStanding held = SHARED.get(standing);
    if (held != null) {
      return held;
    }
    if (SHARED.size() >= SHARED_AT_MOST) {
      SHARED.clear();
    }
    held = SHARED.putIfAbsent(standing, standing);
    return held == null ? standing : held;
  }

  /** The behaviour of {@code slot}; none before its first event. */
  public Behaviour behaviour(int slot) {
    return slot < behaviours.size() ? behaviours.get(slot) : null;
  }

  /** With {@code hit} of an event at {@code at}. */
  public AudienceStanding with(AudienceHit hit, Instant at) {
    Behaviour[] next =
        behaviours.toArray(new Behaviour[Math.max(behaviours.size(), hit.slot() + 1)]);
    Behaviour held = next[hit.slot()];
    Behaviour changed =
        switch (hit.kind()) {
          case WINDOW ->
              (held instanceof Behaviour.Recent recent ? recent : Behaviour.Recent.NONE)
                  .with(at, hit.keep());
          case START ->
              (held instanceof Behaviour.Wait wait ? wait : Behaviour.Wait.NONE).start(at);
          case FOLLOW ->
              (held instanceof Behaviour.Wait wait ? wait : Behaviour.Wait.NONE).follow(at);
        };
    next[hit.slot()] = changed;
    return new AudienceStanding(audience, version, member, transitions, slots(next));
  }

  public AudienceStanding follow(AudienceTransition transition) {
    return shared(
        new AudienceStanding(audience, version, transition.entered(), transitions + 1, behaviours));
  }

  /** {@code slots} as a standing holds them, owning the array. */
  private static List<Behaviour> slots(Behaviour[] slots) {
    return slots.length == 1 ? new OneSlot(slots[0]) : new Slots(slots);
  }

  /**
   * The behaviour of a standing with one slot, the most common kind (one window, or one wait): held
   * without an array, since every read of the standing would otherwise read one more object.
   */
  private static final class OneSlot extends AbstractList<Behaviour> implements RandomAccess {
    private final Behaviour slot;

    private OneSlot(Behaviour slot) {
      this.slot = slot;
    }

    @Override
    public Behaviour get(int index) {
      Objects.checkIndex(index, 1);
      return slot;
    }

    @Override
    public int size() {
      return 1;
    }
  }

  /**
   * The behaviours of a standing, by slot, in an array no one else holds. A standing is made anew
   * on every event that hits one of its slots, and kept until the user's next event: built once
   * from the array, not copied again, and smaller to keep than a wrapped list.
   */
  private static final class Slots extends AbstractList<Behaviour> implements RandomAccess {
    private final Behaviour[] slots;

    private Slots(Behaviour[] slots) {
      this.slots = slots;
    }

    @Override
    public Behaviour get(int index) {
      return slots[index];
    }

    @Override
    public int size() {
      return slots.length;
    }
  }
}
