package io.pulse.engine.user;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.EventRefusal;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.access.TenantId;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.profile.Traits;
import io.pulse.engine.journal.JournalFailures;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.JournalPersistRejected;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One end user: scores every event the moment it arrives and journals the accepted events together
 * with the band transitions they cause, in one write per command. It also asks, in the same write,
 * to be woken when decay or inactivity would next change a segment, and replays its own journal
 * when a model changes.
 *
 * <p>Not an {@code EventSourcedBehaviorWithEnforcedReplies}: the internal {@link
 * HistoryReplay.HistoryLoaded} answers nobody, and stashing while the history is read is not a
 * reply effect. Every command that expects an answer still gets exactly one.
 */
public final class UserEntity
    extends EventSourcedBehavior<UserEntity.Command, EngagementChange, UserEngagement> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "user");

  /** Messages a user entity understands. */
  public sealed interface Command extends CborSerializable
      permits RecordParts,
          GetEngagement,
          WakeUp,
          Rescore,
          ForgetModel,
          PatchTraits,
          Reevaluate,
          ForgetAudience,
          AlignWatches,
          GetMemberships,
          HistoryReplay.HistoryLoaded {}

  /**
   * Makes sure the user marks what the campaigns of catalog revision {@code revision} or later
   * watch, and has asked to be woken at its next yearly date; an error reply means this node does
   * not have that revision yet.
   */
  public record AlignWatches(long revision, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** Asks for the audiences the user is a member of now, with what time alone changed. */
  public record GetMemberships(ActorRef<Memberships> replyTo) implements Command {}

  /** The audiences a user is a member of, by id. */
  public record Memberships(List<String> audiences) implements CborSerializable {
    public Memberships {
      audiences = List.copyOf(audiences);
    }
  }

  /**
   * Applies a JSON merge patch to the user's traits (a null value removes a trait); the reply is
   * the traits after it, or an error listing why the patch is refused.
   */
  public record PatchTraits(Map<String, Object> patch, ActorRef<StatusReply<Traits>> replyTo)
      implements Command {
    public PatchTraits {
      // A merge patch's nulls matter: a copy that keeps them.
      patch = patch == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(patch));
    }
  }

  /**
   * Makes sure the user is decided under {@code version} of {@code audience} or later, rebuilding
   * the standing from the journal if needed; an error reply means this node does not have that
   * version yet.
   */
  public record Reevaluate(String audience, long version, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** Removes a deleted audience's standing. */
  public record ForgetAudience(String audience, ActorRef<Done> replyTo) implements Command {}

  /**
   * Several requests' groups for this user, coalesced by the node while an earlier write of the
   * user was in flight, recorded in one write; each part is answered on its own, and {@code
   * correlationId} lets one node-wide receiver match it to its request without an ask per user.
   */
  public record RecordParts(String entityId, List<Part> parts, ActorRef<PartsRecorded> replyTo)
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

    /** Whether the part's client was already told to retry at {@code nowEpochMilli}. */
    public boolean expiredAt(long nowEpochMilli) {
      return deadlineEpochMilli > 0 && nowEpochMilli > deadlineEpochMilli;
    }
  }

  /** Every part of a {@link RecordParts} is durable. */
  public record PartsRecorded(String entityId, List<Recorded> parts) implements CborSerializable {}

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

  /** One part of a {@link RecordParts} is durable (or, {@code expired}, was not written). */
  public record Recorded(
      long correlationId, int accepted, int duplicates, boolean expired, List<EventRefusal> refused)
      implements CborSerializable {

    public Recorded {
      refused = refused == null ? List.of() : List.copyOf(refused);
    }

    /** A part written or dropped, with no event refused. */
    public Recorded(long correlationId, int accepted, int duplicates, boolean expired) {
      this(correlationId, accepted, duplicates, expired, List.of());
    }

    /** A part that was written. */
    public Recorded(long correlationId, int accepted, int duplicates) {
      this(correlationId, accepted, duplicates, false);
    }

    /** A part dropped unwritten because its deadline had passed. */
    public static Recorded expired(long correlationId) {
      return new Recorded(correlationId, 0, 0, true);
    }
  }

  private final String userId;
  private final Supplier<Definitions> definitions;
  private final BooleanSupplier modelsLoaded;
  private final JournalTags tags;
  private final UserEntitySettings settings;
  private final UserEntityObserver observer;
  private final Clock clock;
  private final ActorContext<Command> context;
  private final String entityId;

  /** Commands wait (stashed) while the history for a re-scoring is being read. */
  private final HistoryReplay history;

  private final JournalFailures failures;
  private final WriteInFlight inFlight = new WriteInFlight();

  /**
   * The definitions the state was last found current with, so that events do not check every model
   * and audience again while the definitions stay the same: events recorded under them keep the
   * state current. Forgotten by every other command, which may change what the state holds.
   */
  private Definitions currentUnder;

  /**
   * The state the last write of events left, the definitions it was written under, and the first
   * moment time alone may change it ({@link GroupWrite#nextChange}); the next write of that very
   * state under those very definitions starts from it. Kept by identity, so any other change of the
   * state or the definitions leaves it unused.
   */
  private UserEngagement writtenState;

  private Definitions writtenUnder;
  private Instant writtenNextChange;

  /**
   * For every command but a write of events, which may change the state: what writes knew of it
   * goes, rather than keep an old state and old definitions reachable.
   */
  private void forgetWhatWritesKnew() {
    currentUnder = null;
    writtenState = null;
    writtenUnder = null;
    writtenNextChange = null;
  }

  private boolean recovered;
  private final UserRecoveries.Recovery recovery;

  /** Registers the entity type with sharding on this node, unobserved, on the system clock. */
  public static void init(ActorSystem<?> system, TenantModels models, UserEntitySettings settings) {
    init(system, models, settings, UserEntityObserver.NONE, Clock.systemUTC());
  }

  /** Registers the entity type with sharding on this node, on the system clock. */
  public static void init(
      ActorSystem<?> system,
      TenantModels models,
      UserEntitySettings settings,
      UserEntityObserver observer) {
    init(system, models, settings, observer, Clock.systemUTC());
  }

  /** Registers the entity type with sharding on this node. */
  public static void init(
      ActorSystem<?> system,
      TenantModels models,
      UserEntitySettings settings,
      UserEntityObserver observer,
      Clock clock) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_KEY,
                context -> create(context.getEntityId(), models, settings, observer, clock)));
  }

  /**
   * The users' shard region on this node, once {@link #init} has registered it: it takes a {@link
   * ShardingEnvelope} as an entity reference sends it. A writer that only tells keeps it, where an
   * entity reference made per message also builds and encodes a name for asks.
   */
  public static ActorRef<ShardingEnvelope<Command>> shardRegion(ActorSystem<?> system) {
    return Adapter.toTyped(
        org.apache.pekko.cluster.sharding.ClusterSharding.get(Adapter.toClassic(system))
            .shardRegion(ENTITY_KEY.name()));
  }

  public static Behavior<Command> create(
      String entityId,
      TenantModels models,
      UserEntitySettings settings,
      UserEntityObserver observer,
      Clock clock) {
    return Behaviors.setup(
        context -> new UserEntity(context, entityId, models, settings, observer, clock));
  }

  /** A user scored with the same models whatever its tenant, with no audience. */
  public static Behavior<Command> create(
      String entityId,
      Supplier<ScoringModels> models,
      UserEntitySettings settings,
      UserEntityObserver observer,
      Clock clock) {
    return create(
        entityId,
        TenantModels.fixed(() -> Definitions.of(models.get())),
        settings,
        observer,
        clock);
  }

  public static Behavior<Command> create(
      String entityId, Supplier<ScoringModels> models, UserEntitySettings settings) {
    return create(entityId, models, settings, UserEntityObserver.NONE, Clock.systemUTC());
  }

  /** A user's entity id: {@code <tenant>|<userId>}. */
  public static String entityId(String tenant, String userId) {
    return tenant + "|" + userId;
  }

  public static String userIdOf(String entityId) {
    int separator = entityId.indexOf('|');
    return separator < 0 ? entityId : entityId.substring(separator + 1);
  }

  /** How the persistence ids of {@code tenant}'s users begin: {@code user|<tenant>|}. */
  public static String persistenceIdPrefix(String tenant) {
    return ENTITY_KEY.name() + "|" + tenant + "|";
  }

  /** The tenant of an entity id; the default tenant for an id without one. */
  public static String tenantOf(String entityId) {
    int separator = entityId.indexOf('|');
    return separator < 0 ? TenantId.DEFAULT.value() : entityId.substring(0, separator);
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
      TenantModels models,
      UserEntitySettings settings,
      UserEntityObserver observer,
      Clock clock) {
    // Stopped on a journal failure and started again by its next message: a restart backoff
    // would keep the user refusing work for seconds after the database is back.
    super(persistenceIdOf(entityId), JournalFailures.stopOnFirstFailure());
    this.context = context;
    this.entityId = entityId;
    this.userId = userIdOf(entityId);
    String tenant = tenantOf(entityId);
    this.definitions = models.of(tenant);
    this.modelsLoaded = models.loaded(tenant);
    this.tags = JournalTags.of(tenant);
    this.history =
        new HistoryReplay(context, persistenceIdOf(entityId).id(), settings.readJournal());
    this.settings = settings;
    this.observer = observer;
    this.clock = clock;
    this.failures = JournalFailures.of(context.getSystem());
    this.recovery = UserRecoveries.get(context.getSystem()).begin(context.getSelf());
  }

  @Override
  public UserEngagement emptyState() {
    return UserEngagement.empty(userId, settings.recentEventIds());
  }

  @Override
  public CommandHandler<Command, EngagementChange, UserEngagement> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(RecordParts.class, this::onRecordParts)
        .onCommand(
            GetEngagement.class, (state, command) -> Effect().reply(command.replyTo(), state))
        .onCommand(WakeUp.class, this::onWakeUp)
        .onCommand(Rescore.class, this::onRescore)
        .onCommand(ForgetModel.class, this::onForget)
        .onCommand(PatchTraits.class, this::onPatchTraits)
        .onCommand(Reevaluate.class, this::onReevaluate)
        .onCommand(ForgetAudience.class, this::onForgetAudience)
        .onCommand(AlignWatches.class, this::onAlignWatches)
        .onCommand(
            GetMemberships.class,
            (state, command) ->
                Effect()
                    .reply(
                        command.replyTo(),
                        new Memberships(state.membershipsAt(definitions.get(), clock.instant()))))
        .onCommand(HistoryReplay.HistoryLoaded.class, this::onHistoryLoaded)
        .build();
  }

  private Effect<EngagementChange, UserEngagement> onRecordParts(
      UserEngagement state, RecordParts command) {
    Definitions current = definitions.get();
    if (history.loading() || (current != currentUnder && HistoryReplay.needed(state, current))) {
      return waitForHistory();
    }
    currentUnder = current;
    long received = System.nanoTime();
    GroupWrite write =
        GroupWrite.of(
            state,
            command.parts(),
            current,
            settings.traitLimits(),
            clock.instant(),
            System.currentTimeMillis(),
            state == writtenState && current == writtenUnder ? writtenNextChange : null);
    PartsRecorded reply = new PartsRecorded(command.entityId(), write.replies());
    if (write.changes().isEmpty()) {
      observer.recorded(0, write.duplicates(), 0, 0);
      return Effect().reply(command.replyTo(), reply);
    }
    writtenState = write.state();
    writtenUnder = current;
    writtenNextChange = write.nextChange();
    expectApplying(write.changes(), write.state());
    inFlight.recording(command);
    return Effect()
        .persist(write.changes())
        .thenReply(
            command.replyTo(),
            persisted -> {
              inFlight.confirmed();
              observer.recorded(
                  write.accepted(),
                  write.duplicates(),
                  write.transitions(),
                  System.nanoTime() - received);
              return reply;
            });
  }

  private Effect<EngagementChange, UserEngagement> onWakeUp(UserEngagement state, WakeUp command) {
    forgetWhatWritesKnew();
    if (!modelsLoaded.getAsBoolean()) {
      // Woken before this node knows the models: it would find nothing to do and the wake-up
      // would be spent. The scheduler keeps it and tries again.
      return Effect()
          .reply(command.replyTo(), StatusReply.error("the scoring models are not loaded yet"));
    }
    // The scheduler found it due: a clock of this node a little behind the scheduler's must not
    // find nothing to do, ask for the same wake-up again, and so never be woken for it.
    Instant now = clock.instant();
    return catchUp(state, now.isBefore(command.dueAt()) ? command.dueAt() : now, command.replyTo());
  }

  private Effect<EngagementChange, UserEngagement> onAlignWatches(
      UserEngagement state, AlignWatches command) {
    forgetWhatWritesKnew();
    if (definitions.get().watches().revision() < command.revision()) {
      return Effect()
          .reply(
              command.replyTo(),
              StatusReply.error(
                  "this node does not hold revision " + command.revision() + " of the catalog"));
    }
    return catchUp(state, clock.instant(), command.replyTo());
  }

  /**
   * Journals what time alone changed by now, and the wake-up the user needs next: for a due
   * wake-up, and for a user brought under new campaign watches.
   */
  private Effect<EngagementChange, UserEngagement> catchUp(
      UserEngagement state, Instant now, ActorRef<StatusReply<Done>> replyTo) {
    Definitions current = definitions.get();
    if (history.loading() || HistoryReplay.needed(state, current)) {
      return waitForHistory();
    }
    Recording recording = state.wakeUp(current, now);
    List<EngagementChange> changes = withWakeUp(recording, current, now);
    if (changes.isEmpty()) {
      return Effect().reply(replyTo, StatusReply.ack());
    }
    inFlight.wakingUp(replyTo);
    return Effect()
        .persist(changes)
        .thenReply(
            replyTo,
            after -> {
              inFlight.confirmed();
              return StatusReply.ack();
            });
  }

  private Effect<EngagementChange, UserEngagement> onRescore(
      UserEngagement state, Rescore command) {
    forgetWhatWritesKnew();
    Definitions current = definitions.get();
    ScoringModel model = current.models().get(command.model()).orElse(null);
    return acknowledgeOnceCurrent(
        state,
        current,
        model != null && model.version() >= command.version(),
        "version " + command.version() + " of " + command.model(),
        command.replyTo());
  }

  private Effect<EngagementChange, UserEngagement> onForget(
      UserEngagement state, ForgetModel command) {
    forgetWhatWritesKnew();
    if (history.loading()) {
      return waitForHistory();
    }
    ScoringModel lastVersion = definitions.get().models().previous().get(command.model());
    Recording recording = state.forget(command.model(), lastVersion, clock.instant());
    if (recording.changes().isEmpty()) {
      return Effect().reply(command.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(recording.changes())
        .thenReply(command.replyTo(), after -> Done.getInstance());
  }

  private Effect<EngagementChange, UserEngagement> onHistoryLoaded(
      UserEngagement state, HistoryReplay.HistoryLoaded loaded) {
    forgetWhatWritesKnew();
    if (loaded.failure() != null) {
      history.retry(loaded.failure());
      return Effect().none();
    }
    List<EngagementChange> changes =
        history.rescored(state, loaded.history(), definitions.get(), clock.instant());
    if (changes.isEmpty()) {
      return Effect().unstashAll();
    }
    return Effect().persist(changes).thenUnstashAll();
  }

  /** Stashes the command and, unless under way, starts reading the user's history. */
  private Effect<EngagementChange, UserEngagement> waitForHistory() {
    history.start();
    return Effect().stash();
  }

  private Effect<EngagementChange, UserEngagement> onPatchTraits(
      UserEngagement state, PatchTraits command) {
    forgetWhatWritesKnew();
    Definitions current = definitions.get();
    if (history.loading() || HistoryReplay.needed(state, current)) {
      return waitForHistory();
    }
    UserEngagement.Profiled profiled =
        state.patchTraits(command.patch(), settings.traitLimits(), current, clock.instant());
    if (profiled.recording() == null) {
      return Effect()
          .reply(command.replyTo(), StatusReply.error(String.join("; ", profiled.problems())));
    }
    List<EngagementChange> changes = withWakeUp(profiled.recording(), current);
    if (changes.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.success(state.traits()));
    }
    return Effect()
        .persist(changes)
        .thenReply(command.replyTo(), after -> StatusReply.success(after.traits()));
  }

  private Effect<EngagementChange, UserEngagement> onReevaluate(
      UserEngagement state, Reevaluate command) {
    forgetWhatWritesKnew();
    Definitions current = definitions.get();
    Audience audience = current.audiences().get(command.audience()).orElse(null);
    return acknowledgeOnceCurrent(
        state,
        current,
        audience != null && audience.version() >= command.version(),
        "version " + command.version() + " of audience " + command.audience(),
        command.replyTo());
  }

  /**
   * The answer to a pass over every user (re-scoring, re-evaluation): an error while this node does
   * not yet hold the definition the pass is for, so that the pass asks again; otherwise an
   * acknowledgement once the user's state is current with the definitions, replaying the history
   * first if it is not.
   */
  private Effect<EngagementChange, UserEngagement> acknowledgeOnceCurrent(
      UserEngagement state,
      Definitions current,
      boolean definitionHeld,
      String definition,
      ActorRef<StatusReply<Done>> replyTo) {
    if (!definitionHeld) {
      return Effect().reply(replyTo, StatusReply.error("this node does not hold " + definition));
    }
    if (history.loading() || HistoryReplay.needed(state, current)) {
      return waitForHistory();
    }
    return Effect().reply(replyTo, StatusReply.ack());
  }

  private Effect<EngagementChange, UserEngagement> onForgetAudience(
      UserEngagement state, ForgetAudience command) {
    forgetWhatWritesKnew();
    if (history.loading()) {
      return waitForHistory();
    }
    Instant now = clock.instant();
    // Moments due before now under the other audiences first: forgetting decides the user at now.
    Recording reached = state.reachAudienceMoments(definitions.get(), now);
    Recording recording = reached.state().forgetAudience(command.audience(), now);
    List<EngagementChange> changes = new ArrayList<>(reached.changes());
    changes.addAll(recording.changes());
    if (changes.isEmpty()) {
      return Effect().reply(command.replyTo(), Done.getInstance());
    }
    return Effect().persist(changes).thenReply(command.replyTo(), after -> Done.getInstance());
  }

  /** Appends the wake-up request the new state needs, if any. */
  private List<EngagementChange> withWakeUp(Recording recording, Definitions current) {
    return withWakeUp(recording, current, clock.instant());
  }

  private List<EngagementChange> withWakeUp(Recording recording, Definitions current, Instant now) {
    return recording
        .state()
        .wakeUpToRequest(current, now)
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
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              recovered = true;
              recovery.end();
              observer.started();
            })
        .onSignal(
            PostStop.instance(),
            state -> {
              recovery.end();
              // A user whose recovery failed was never counted as started.
              if (recovered) {
                observer.stopped();
              }
            })
        .onSignal(
            RecoveryFailed.class,
            (state, failed) -> {
              recovery.end();
              failures.report(context.getLog(), entityId, "Recovery", failed.getFailure());
            })
        .onSignal(
            JournalPersistFailed.class,
            (state, failed) -> {
              failures.report(context.getLog(), entityId, "A write", failed.getFailure());
              inFlight.failed();
            })
        // A rejected write (a bug: say, an event that cannot be serialized) is logged by Pekko
        // as the entity stops; its sender need not wait for a timeout either.
        .onSignal(JournalPersistRejected.class, (state, rejected) -> inFlight.failed())
        .build();
  }

  @Override
  public Set<String> tagsFor(EngagementChange change) {
    return tags.tagsOf(change, definitions.get().watches());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }
}
