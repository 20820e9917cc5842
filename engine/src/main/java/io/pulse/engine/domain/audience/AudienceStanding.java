package io.pulse.engine.domain.audience;

import io.pulse.engine.domain.AudienceTransition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

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
            : Collections.unmodifiableList(new ArrayList<>(behaviours));
  }

  /** A user not yet in the audience under {@code version}, with no behaviour remembered. */
  public static AudienceStanding fresh(String audience, long version) {
    return new AudienceStanding(audience, version, false, 0, List.of());
  }

  /** The behaviour of {@code slot}; none before its first event. */
  public Behaviour behaviour(int slot) {
    return slot < behaviours.size() ? behaviours.get(slot) : null;
  }

  /** With {@code hit} of an event at {@code at}. */
  public AudienceStanding with(AudienceHit hit, Instant at) {
    List<Behaviour> next = new ArrayList<>(behaviours);
    while (next.size() <= hit.slot()) {
      next.add(null);
    }
    Behaviour held = next.get(hit.slot());
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
    next.set(hit.slot(), changed);
    return new AudienceStanding(audience, version, member, transitions, next);
  }

  public AudienceStanding follow(AudienceTransition transition) {
    return new AudienceStanding(
        audience, version, transition.entered(), transitions + 1, behaviours);
  }
}
