package io.pulse.persistence;

import io.pulse.engine.CborSerializable;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A test-only event-sourced counter: just enough behaviour to exercise the real journal, tags,
 * snapshots and CBOR serialization.
 */
final class Tally extends EventSourcedBehavior<Tally.Command, Tally.Event, Tally.State> {

  static final int SNAPSHOT_EVERY = 3;

  /** What a tally is asked to do. */
  sealed interface Command extends CborSerializable {}

  /** Adds to the total and answers with the new state once the event is in the journal. */
  record Add(long amount, ActorRef<State> replyTo) implements Command {}

  /** Answers with the current state. */
  record Get(ActorRef<State> replyTo) implements Command {}

  /** What a tally journals. */
  sealed interface Event extends CborSerializable {}

  /** An amount was added. */
  record Added(long amount) implements Event {}

  /** The running total; also the snapshot. */
  record State(long total, int additions) implements CborSerializable {
    static final State EMPTY = new State(0, 0);

    State add(long amount) {
      return new State(total + amount, additions + 1);
    }
  }

  /** Recovery and snapshot facts the test observes, since no command can ask for them. */
  sealed interface Observation {}

  /** Recovery finished with this state after replaying this many events. */
  record Recovered(State state, int replayedEvents) implements Observation {}

  /** A snapshot at this sequence number is stored. */
  record SnapshotSaved(long sequenceNr) implements Observation {}

  private final String tag;
  private final ActorRef<Observation> observer;
  private int appliedEvents;

  private Tally(PersistenceId persistenceId, String tag, ActorRef<Observation> observer) {
    super(persistenceId);
    this.tag = tag;
    this.observer = observer;
  }

  static Behavior<Command> create(String id, String tag, ActorRef<Observation> observer) {
    return new Tally(persistenceId(id), tag, observer);
  }

  static PersistenceId persistenceId(String id) {
    return PersistenceId.of("Tally", id);
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            Add.class,
            add -> Effect().persist(new Added(add.amount())).thenReply(add.replyTo(), s -> s))
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Added.class,
            (state, added) -> {
              appliedEvents++;
              return state.add(added.amount());
            })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> observer.tell(new Recovered(state, appliedEvents)))
        .onSignal(
            SnapshotCompleted.class,
            (state, completed) ->
                observer.tell(new SnapshotSaved(completed.metadata().sequenceNr())))
        .build();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    // An empty tag name stands for an untagged tally.
    return tag.isEmpty() ? Set.of() : Set.of(tag);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }
}
