package io.pulse.engine.user;

import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.WakeUpScheduled;
import io.pulse.engine.domain.profile.TraitLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One write of a user: the parts of several requests, coalesced while an earlier write was in
 * flight, scored one after the other and persisted together, with the wake-up their result needs.
 * Each part is answered on its own; a part whose client was already told to retry is not written.
 *
 * @param changes what to persist, in order
 * @param state the user after them
 * @param replies one per part, in the parts' order
 * @param nextChange the first moment at which time alone may change {@code state} under the
 *     definitions it was written under ({@link UserEngagement#nextChange}), {@link Instant#MAX} for
 *     none: the next write of the same state may pass it on instead of searching again
 */
record GroupWrite(
    List<EngagementChange> changes,
    UserEngagement state,
    List<UserEntity.Recorded> replies,
    int accepted,
    int duplicates,
    int transitions,
    Instant nextChange) {

  /**
   * Scores {@code parts} on top of {@code state}; {@code nowEpochMilli} is wall-clock time, like
   * the parts' deadlines set by the ingesting node (an operational timeout, not the domain clock
   * {@code now} that scores events). {@code knownNextChange} is the {@link #nextChange} of the
   * write that left {@code state} under the same {@code definitions}, or null.
   */
  static GroupWrite of(
      UserEngagement state,
      List<UserEntity.Part> parts,
      Definitions definitions,
      TraitLimits traitLimits,
      Instant now,
      long nowEpochMilli,
      Instant knownNextChange) {
    UserEngagement after = state;
    List<EngagementChange> changes = new ArrayList<>();
    List<UserEntity.Recorded> replies = new ArrayList<>(parts.size());
    int accepted = 0;
    int duplicates = 0;
    int transitions = 0;
    for (UserEntity.Part part : parts) {
      if (part.expiredAt(nowEpochMilli)) {
        replies.add(UserEntity.Recorded.expired(part.correlationId()));
        continue;
      }
      // What was known of the state written before holds for the first part alone.
      Recording recording =
          after.record(
              part.events(),
              definitions,
              now,
              traitLimits,
              after == state ? knownNextChange : null);
      changes.addAll(recording.changes());
      replies.add(
          new UserEntity.Recorded(
              part.correlationId(),
              recording.accepted(),
              recording.duplicates(),
              false,
              recording.refused()));
      accepted += recording.accepted();
      duplicates += recording.duplicates();
      transitions += recording.transitionCount();
      after = recording.state();
    }
    Optional<Instant> next = after.nextChange(definitions, now);
    Optional<WakeUpScheduled> wakeUp = after.wakeUpFor(next, now);
    if (wakeUp.isPresent()) {
      // A requested wake-up changes no moment: the next change found above still holds.
      changes.add(wakeUp.get());
      after = after.apply(wakeUp.get());
    }
    return new GroupWrite(
        changes, after, replies, accepted, duplicates, transitions, next.orElse(Instant.MAX));
  }
}
