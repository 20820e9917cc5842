package io.pulse.engine.user;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.journal.JournalAvailability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A user's replay of its own journal when a model changed: while the accepted events are read back,
 * the commands that need the new scores wait (stashed), and once they are read every model the user
 * is not yet scored under re-scores them; so does every audience, and every count of events a
 * campaign needs that the user does not keep yet.
 */
final class HistoryReplay {

  /** The user's accepted events, read back from the journal for a re-scoring. */
  record HistoryLoaded(List<BehaviouralEvent> history, String failure)
      implements UserEntity.Command {}

  /** How long a failed read waits before it is tried again, rather than in a tight loop. */
  static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private final ActorContext<UserEntity.Command> context;
  private final String persistenceId;
  private final String readJournal;
  private boolean loading;

  HistoryReplay(
      ActorContext<UserEntity.Command> context, String persistenceId, String readJournal) {
    this.context = context;
    this.persistenceId = persistenceId;
    this.readJournal = readJournal;
  }

  /** Whether the history is being read, so that commands must wait. */
  boolean loading() {
    return loading;
  }

  /**
   * A user with history whose standing in some model predates that model's current version, or who
   * lacks a count of events that a campaign needs; or a user known by events or traits whose
   * standing in some audience predates its current version: a user known only by its traits is
   * decided by them.
   */
  static boolean needed(UserEngagement state, Definitions current) {
    if (state.hasEvents()) {
      if (!current.watches().counted().isEmpty() && state.needsHistoryFor(current.watches())) {
        return true;
      }
      for (ScoringModel model : current.models().all()) {
        if (!state.scoredUnder(model)) {
          return true;
        }
      }
    }
    if (!state.known() && state.audiences().standings().isEmpty()) {
      return false;
    }
    for (Audience audience : current.audiences().all()) {
      if (!state.evaluatedUnder(audience)) {
        return true;
      }
    }
    return false;
  }

  /** Starts reading the history, unless already under way; the caller stashes its command. */
  void start() {
    if (!loading) {
      loading = true;
      read(Duration.ZERO);
    }
  }

  /** The read failed: it is tried again shortly, and commands keep waiting. */
  void retry(String failure) {
    if (JournalAvailability.get(context.getSystem()).isAvailable()) {
      context.getLog().warn("Reading the history of {} failed: {}", persistenceId, failure);
    } else {
      // The node logs the outage once; every user waiting to re-score would repeat it each second.
      context.getLog().debug("Reading the history of {} failed: {}", persistenceId, failure);
    }
    read(RETRY_DELAY);
  }

  /**
   * The history is read: the changes that re-score it under every model the user is not yet scored
   * under, and the wake-up the result needs.
   */
  List<EngagementChange> rescored(
      UserEngagement state, List<BehaviouralEvent> history, Definitions current, Instant now) {
    loading = false;
    UserEngagement after = state;
    List<EngagementChange> changes = new ArrayList<>();
    for (ScoringModel model : current.models().all()) {
      if (!after.scoredUnder(model)) {
        Recording recording = after.rescore(model, history, now);
        changes.addAll(recording.changes());
        after = recording.state();
      }
    }
    if (current.audiences().all().stream().anyMatch(audience -> !state.evaluatedUnder(audience))) {
      // Moments due before now first: what is rebuilt below is decided at now.
      Recording reached = after.reachAudienceMoments(current, now);
      changes.addAll(reached.changes());
      after = reached.state();
    }
    // In reference order, so that an audience of audiences reads the rebuilt memberships.
    for (Audience audience : current.audiences().ordered()) {
      if (!after.evaluatedUnder(audience)) {
        Recording recording = after.reevaluate(audience, history, current.models(), now);
        changes.addAll(recording.changes());
        after = recording.state();
      }
    }
    if (after.needsHistoryFor(current.watches())) {
      Recording recording = after.recount(current.watches(), history, now);
      changes.addAll(recording.changes());
      after = recording.state();
    }
    after.wakeUpToRequest(current, now).ifPresent(changes::add);
    return changes;
  }

  private void read(Duration delay) {
    CurrentEventsByPersistenceIdQuery journal =
        PersistenceQuery.get(context.getSystem())
            .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournal);
    CompletionStage<List<BehaviouralEvent>> history =
        org.apache.pekko.pattern.Patterns.after(
            delay,
            context.getSystem().classicSystem().scheduler(),
            context.getExecutionContext(),
            () ->
                journal
                    .currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE)
                    .filter(envelope -> envelope.event() instanceof ScoredEvent)
                    .map(envelope -> ((ScoredEvent) envelope.event()).event())
                    .runWith(Sink.seq(), context.getSystem()));
    context.pipeToSelf(
        history,
        (events, failure) ->
            failure == null
                ? new HistoryLoaded(events, null)
                : new HistoryLoaded(List.of(), String.valueOf(failure.getMessage())));
  }
}
