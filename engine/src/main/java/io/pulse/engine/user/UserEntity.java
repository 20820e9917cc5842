package io.pulse.engine.user;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.WakeUpScheduled;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * One end user: scores every event the moment it arrives and journals the accepted events together
 * with the band transitions they cause, in one write per command. It also asks, in the same write,
 * to be woken when decay or inactivity would next change a segment, and replays its own journal
 * when a model changes.
 *
 * <p>Not an {@code EventSourcedBehaviorWithEnforcedReplies}: the internal {@link HistoryLoaded}
 * answers nobody, and stashing while the history is read is not a reply effect. Every command that
 * expects an answer still gets exactly one.
 */
public final class UserEntity
    extends EventSourcedBehavior<UserEntity.Command, EngagementChange, UserEngagement> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "user");

  /** The tag the read side follows to find transitions. */
  public static final String TRANSITION_TAG = "transition";

  /**
   * The tag the promotion projection follows: transitions and purchases, in one stream, so that
   * campaigns see a purchase after the transition it follows.
   */
  public static final String PROMOTION_TAG = "promotion";

  private static final Set<String> TRANSITION_TAGS = Set.of(TRANSITION_TAG, PROMOTION_TAG);

  /** The tag of wake-up requests, which the wake-up scheduler follows. */
  public static final String WAKE_UP_TAG = "wake-up";

  private static final Set<String> WAKE_UP_TAGS = Set.of(WAKE_UP_TAG);

  /** The tag of a user's first event and of purchases, which the customer aggregates follow. */
  public static final String CUSTOMER_TAG = "customer";

  private static final Set<String> CUSTOMER_TAGS = Set.of(CUSTOMER_TAG);

  private static final Set<String> PURCHASE_TAGS = Set.of(CUSTOMER_TAG, PROMOTION_TAG);

  private static final Duration HISTORY_RETRY_DELAY = Duration.ofSeconds(1);

  /** Messages a user entity understands. */
  public sealed interface Command extends CborSerializable
      permits RecordEvents,
          RecordParts,
          GetEngagement,
          WakeUp,
          Rescore,
          ForgetModel,
          HistoryLoaded {}

  /**
   * Records a group of events of this user in one write; {@code correlationId} lets one node-wide
   * receiver match the reply to its request without a temporary actor per ask.
   */
  public record RecordEvents(
      long correlationId, List<BehaviouralEvent> events, ActorRef<Recorded> replyTo)
      implements Command {}

  /**
   * Several requests' groups for this user, coalesced by the node while an earlier write of the
   * user was in flight, recorded in one write; each part is answered on its own.
   */
  public record RecordParts(String userId, List<Part> parts, ActorRef<PartsRecorded> replyTo)
      implements Command {}

  /**
   * One request's group of events within {@link RecordParts}. A part still waiting when its
   * request's deadline (wall-clock milliseconds; 0 for none) has passed is not written: its client
   * was already told to retry, and under overload the node spends its time on requests that still
   * have someone waiting for them.
   */
  public record Part(long correlationId, List<BehaviouralEvent> events, long deadlineEpochMilli)
      implements CborSerializable {

    /** A part without a deadline. */
    public Part(long correlationId, List<BehaviouralEvent> events) {
      this(correlationId, events, 0);
    }

    boolean expiredAt(long nowEpochMilli) {
      return deadlineEpochMilli > 0 && nowEpochMilli > deadlineEpochMilli;
    }
  }

  /** Every part of a {@link RecordParts} is durable. */
  public record PartsRecorded(String userId, List<Recorded> parts) implements CborSerializable {}

  /** Asks for the user's current state. */
  public record GetEngagement(ActorRef<UserEngagement> replyTo) implements Command {}

  /** A wake-up the user asked for is due: emit what decay and inactivity changed by now. */
  public record WakeUp(Instant dueAt, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * Makes sure the user is scored under {@code version} of {@code model} or later, replaying the
   * journal if needed; an error reply means this node's catalog does not have that version yet.
   */
  public record Rescore(String model, long version, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** Removes a deleted model's standing. */
  public record ForgetModel(String model, ActorRef<Done> replyTo) implements Command {}

  /** The user's accepted events, read back from the journal for a re-scoring. */
  public record HistoryLoaded(List<BehaviouralEvent> history, String failure) implements Command {}

  /** The group of a {@link RecordEvents} is durable. */
  public record Recorded(long correlationId, int accepted, int duplicates, boolean expired)
      implements CborSerializable {

    /** A part that was written. */
    public Recorded(long correlationId, int accepted, int duplicates) {
      this(correlationId, accepted, duplicates, false);
    }

    /** A part dropped unwritten because its deadline had passed. */
    static Recorded expired(long correlationId) {
      return new Recorded(correlationId, 0, 0, true);
    }
  }

  private final String userId;
  private final Supplier<ScoringModels> models;
  private final UserEntitySettings settings;
  private final UserEntityObserver observer;
  private final Clock clock;
  private final ActorContext<Command> context;
  private final String entityId;

  /** Commands wait (stashed) while the history for a re-scoring is being read. */
  private boolean loadingHistory;

  /** Registers the entity type with sharding on this node, unobserved, on the system clock. */
  public static void init(
      ActorSystem<?> system, Supplier<ScoringModels> models, UserEntitySettings settings) {
    init(system, models, settings, UserEntityObserver.NONE, Clock.systemUTC());
  }

  /** Registers the entity type with sharding on this node, on the system clock. */
  public static void init(
      ActorSystem<?> system,
      Supplier<ScoringModels> models,
      UserEntitySettings settings,
      UserEntityObserver observer) {
    init(system, models, settings, observer, Clock.systemUTC());
  }

  /** Registers the entity type with sharding on this node. */
  public static void init(
      ActorSystem<?> system,
      Supplier<ScoringModels> models,
      UserEntitySettings settings,
      UserEntityObserver observer,
      Clock clock) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_KEY,
                context -> create(context.getEntityId(), models, settings, observer, clock)));
  }

  public static Behavior<Command> create(
      String entityId,
      Supplier<ScoringModels> models,
      UserEntitySettings settings,
      UserEntityObserver observer,
      Clock clock) {
    return Behaviors.setup(
        context -> new UserEntity(context, entityId, models, settings, observer, clock));
  }

  public static Behavior<Command> create(
      String entityId, Supplier<ScoringModels> models, UserEntitySettings settings) {
    return create(entityId, models, settings, UserEntityObserver.NONE, Clock.systemUTC());
  }

  /** The entity id leaves room for tenants: {@code <tenant>|<userId>}. */
  public static String entityId(String tenant, String userId) {
    return tenant + "|" + userId;
  }

  public static String userIdOf(String entityId) {
    int separator = entityId.indexOf('|');
    return separator < 0 ? entityId : entityId.substring(separator + 1);
  }

  /**
   * {@code user|<tenant>|<userId>}. User ids may themselves contain '|', which {@link
   * PersistenceId#of(String, String)} refuses, so the id is composed here.
   */
  public static PersistenceId persistenceIdOf(String entityId) {
    return PersistenceId.ofUniqueId(ENTITY_KEY.name() + "|" + entityId);
  }

  private UserEntity(
      ActorContext<Command> context,
      String entityId,
      Supplier<ScoringModels> models,
      UserEntitySettings settings,
      UserEntityObserver observer,
      Clock clock) {
    super(
        persistenceIdOf(entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.context = context;
    this.entityId = entityId;
    this.userId = userIdOf(entityId);
    this.models = models;
    this.settings = settings;
    this.observer = observer;
    this.clock = clock;
  }

  @Override
  public UserEngagement emptyState() {
    return UserEngagement.empty(userId, settings.recentEventIds());
  }

  @Override
  public CommandHandler<Command, EngagementChange, UserEngagement> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(RecordEvents.class, this::onRecordEvents)
        .onCommand(RecordParts.class, this::onRecordParts)
        .onCommand(
            GetEngagement.class, (state, command) -> Effect().reply(command.replyTo(), state))
        .onCommand(WakeUp.class, this::onWakeUp)
        .onCommand(Rescore.class, this::onRescore)
        .onCommand(ForgetModel.class, this::onForget)
        .onCommand(HistoryLoaded.class, this::onHistoryLoaded)
        .build();
  }

  private Effect<EngagementChange, UserEngagement> onRecordEvents(
      UserEngagement state, RecordEvents command) {
    if (loadingHistory || needsReplay(state, models.get())) {
      return waitForHistory();
    }
    Written written = write(state, List.of(new Part(command.correlationId(), command.events())));
    return written.effect(command.replyTo(), after -> written.replies().get(0));
  }

  private Effect<EngagementChange, UserEngagement> onRecordParts(
      UserEngagement state, RecordParts command) {
    if (loadingHistory || needsReplay(state, models.get())) {
      return waitForHistory();
    }
    Written written = write(state, command.parts());
    return written.effect(
        command.replyTo(), after -> new PartsRecorded(command.userId(), written.replies()));
  }

  /** Scores the parts one after the other and prepares them as one write. */
  private Written write(UserEngagement state, List<Part> parts) {
    long received = System.nanoTime();
    ScoringModels current = models.get();
    UserEngagement after = state;
    List<EngagementChange> changes = new ArrayList<>();
    List<Recorded> replies = new ArrayList<>(parts.size());
    int accepted = 0;
    int duplicates = 0;
    int transitions = 0;
    // Wall-clock time, like the deadline set by the ingesting node: an operational timeout, not
    // the domain clock that scores events.
    long now = System.currentTimeMillis();
    for (Part part : parts) {
      if (part.expiredAt(now)) {
        replies.add(Recorded.expired(part.correlationId()));
        continue;
      }
      Recording recording = after.record(part.events(), current);
      changes.addAll(recording.changes());
      replies.add(new Recorded(part.correlationId(), recording.accepted(), recording.duplicates()));
      accepted += recording.accepted();
      duplicates += recording.duplicates();
      transitions += recording.transitions().size();
      after = recording.state();
    }
    Optional<WakeUpScheduled> wakeUp = after.wakeUpToRequest(current, clock.instant());
    if (wakeUp.isPresent()) {
      changes.add(wakeUp.get());
      after = after.apply(wakeUp.get());
    }
    return new Written(changes, after, replies, accepted, duplicates, transitions, received);
  }

  /** What one write of recorded events consists of, and how to answer it. */
  private final class Written {
    private final List<EngagementChange> changes;
    private final UserEngagement state;
    private final List<Recorded> replies;
    private final int accepted;
    private final int duplicates;
    private final int transitions;
    private final long received;

    Written(
        List<EngagementChange> changes,
        UserEngagement state,
        List<Recorded> replies,
        int accepted,
        int duplicates,
        int transitions,
        long received) {
      this.changes = changes;
      this.state = state;
      this.replies = replies;
      this.accepted = accepted;
      this.duplicates = duplicates;
      this.transitions = transitions;
      this.received = received;
    }

    List<Recorded> replies() {
      return replies;
    }

    <R> Effect<EngagementChange, UserEngagement> effect(
        ActorRef<R> replyTo, java.util.function.Function<UserEngagement, R> reply) {
      if (changes.isEmpty()) {
        observer.recorded(0, duplicates, 0, 0);
        return Effect().reply(replyTo, reply.apply(state));
      }
      expectApplying(changes, state);
      return Effect()
          .persist(changes)
          .thenReply(
              replyTo,
              persisted -> {
                observer.recorded(accepted, duplicates, transitions, System.nanoTime() - received);
                return reply.apply(persisted);
              });
    }
  }

  private Effect<EngagementChange, UserEngagement> onWakeUp(UserEngagement state, WakeUp command) {
    if (!modelsLoaded()) {
      // Woken before this node knows the models: it would find nothing to do and the wake-up
      // would be spent. The scheduler keeps it and tries again.
      return Effect()
          .reply(command.replyTo(), StatusReply.error("the scoring models are not loaded yet"));
    }
    ScoringModels current = models.get();
    if (loadingHistory || needsReplay(state, current)) {
      return waitForHistory();
    }
    Recording recording = state.wakeUp(current, clock.instant());
    List<EngagementChange> changes = withWakeUp(recording, current);
    if (changes.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.ack());
    }
    return Effect().persist(changes).thenReply(command.replyTo(), after -> StatusReply.ack());
  }

  /** Whether this node holds the models (a plain supplier, as in tests, always does). */
  private boolean modelsLoaded() {
    return !(models instanceof io.pulse.engine.model.ModelCatalog catalog) || catalog.isLoaded();
  }

  private Effect<EngagementChange, UserEngagement> onRescore(
      UserEngagement state, Rescore command) {
    ScoringModels current = models.get();
    ScoringModel model = current.get(command.model()).orElse(null);
    if (model == null || model.version() < command.version()) {
      return Effect()
          .reply(
              command.replyTo(),
              StatusReply.error(
                  "this node does not hold version "
                      + command.version()
                      + " of "
                      + command.model()));
    }
    if (loadingHistory || needsReplay(state, current)) {
      return waitForHistory();
    }
    return Effect().reply(command.replyTo(), StatusReply.ack());
  }

  private Effect<EngagementChange, UserEngagement> onForget(
      UserEngagement state, ForgetModel command) {
    if (loadingHistory) {
      return waitForHistory();
    }
    ScoringModel lastVersion = models.get().previous().get(command.model());
    Recording recording = state.forget(command.model(), lastVersion, clock.instant());
    if (recording.changes().isEmpty()) {
      return Effect().reply(command.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(recording.changes())
        .thenReply(command.replyTo(), after -> Done.getInstance());
  }

  private Effect<EngagementChange, UserEngagement> onHistoryLoaded(
      UserEngagement state, HistoryLoaded loaded) {
    if (loaded.failure() != null) {
      // Commands stay stashed; the read is tried again shortly rather than in a tight loop.
      context.getLog().warn("Reading the history of {} failed: {}", userId, loaded.failure());
      readHistory(HISTORY_RETRY_DELAY);
      return Effect().none();
    }
    loadingHistory = false;
    ScoringModels current = models.get();
    Instant now = clock.instant();
    UserEngagement after = state;
    List<EngagementChange> changes = new ArrayList<>();
    for (ScoringModel model : current.all()) {
      if (!after.scoredUnder(model)) {
        Recording recording = after.rescore(model, loaded.history(), now);
        changes.addAll(recording.changes());
        after = recording.state();
      }
    }
    after.wakeUpToRequest(current, now).ifPresent(changes::add);
    if (changes.isEmpty()) {
      return Effect().unstashAll();
    }
    return Effect().persist(changes).thenUnstashAll();
  }

  /** A user with history whose standing in some model predates that model's current version. */
  private static boolean needsReplay(UserEngagement state, ScoringModels current) {
    if (!state.hasEvents()) {
      return false;
    }
    for (ScoringModel model : current.all()) {
      if (!state.scoredUnder(model)) {
        return true;
      }
    }
    return false;
  }

  /** Stashes the command and, unless already under way, starts reading the user's history. */
  private Effect<EngagementChange, UserEngagement> waitForHistory() {
    if (!loadingHistory) {
      loadingHistory = true;
      readHistory(Duration.ZERO);
    }
    return Effect().stash();
  }

  private void readHistory(Duration delay) {
    CurrentEventsByPersistenceIdQuery journal =
        PersistenceQuery.get(context.getSystem())
            .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, settings.readJournal());
    CompletionStage<List<BehaviouralEvent>> history =
        org.apache.pekko.pattern.Patterns.after(
            delay,
            context.getSystem().classicSystem().scheduler(),
            context.getExecutionContext(),
            () ->
                journal
                    .currentEventsByPersistenceId(persistenceIdOf(entityId).id(), 0, Long.MAX_VALUE)
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

  /** Appends the wake-up request the new state needs, if any. */
  private List<EngagementChange> withWakeUp(Recording recording, ScoringModels current) {
    return recording
        .state()
        .wakeUpToRequest(current, clock.instant())
        .<List<EngagementChange>>map(
            wakeUp -> {
              List<EngagementChange> changes = new ArrayList<>(recording.changes().size() + 1);
              changes.addAll(recording.changes());
              changes.add(wakeUp);
              return changes;
            })
        .orElse(recording.changes());
  }

  /**
   * The changes about to be persisted and the state the command handler already computed for them.
   * Pekko applies persisted events through the event handler right after the command handler;
   * recomputing the domain's work there would double the cost of every event, so the event handler
   * recognises these very instances and takes the known result. Recovery, which has no such
   * expectation, applies each change.
   */
  private List<EngagementChange> expectedChanges;

  private UserEngagement expectedState;
  private int expectedIndex;

  private void expectApplying(List<EngagementChange> changes, UserEngagement result) {
    expectedChanges = changes;
    expectedIndex = 0;
    expectedState = result;
  }

  private UserEngagement applyChange(UserEngagement state, EngagementChange change) {
    if (expectedChanges != null
        && expectedIndex < expectedChanges.size()
        && expectedChanges.get(expectedIndex) == change) {
      expectedIndex++;
      if (expectedIndex < expectedChanges.size()) {
        return state;
      }
      UserEngagement known = expectedState;
      expectedChanges = null;
      expectedState = null;
      return known;
    }
    expectedChanges = null;
    expectedState = null;
    return state.apply(change);
  }

  @Override
  public EventHandler<UserEngagement, EngagementChange> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(this::applyChange);
  }

  @Override
  public SignalHandler<UserEngagement> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> observer.started())
        .onSignal(PostStop.instance(), state -> observer.stopped())
        .build();
  }

  @Override
  public Set<String> tagsFor(EngagementChange change) {
    return tagsOf(change);
  }

  /**
   * Transitions feed the read side; wake-up requests feed the wake-up scheduler; a user's first
   * event and every purchase feed the customer aggregates. Other events carry no tag, which keeps
   * the tag table small.
   */
  public static Set<String> tagsOf(EngagementChange change) {
    if (change instanceof SegmentTransition) {
      return TRANSITION_TAGS;
    }
    if (change instanceof WakeUpScheduled) {
      return WAKE_UP_TAGS;
    }
    if (change instanceof ScoredEvent scored
        && (scored.firstEvent() || scored.event().orderAmount().isPresent())) {
      return scored.event().purchase() ? PURCHASE_TAGS : CUSTOMER_TAGS;
    }
    return Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }
}
