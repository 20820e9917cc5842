package io.pulse.engine.subscription;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.access.TenantId;
import io.pulse.engine.domain.subscription.DeadLetter;
import io.pulse.engine.domain.subscription.SubscriptionChange;
import io.pulse.engine.domain.subscription.SubscriptionState;
import io.pulse.engine.domain.subscription.WebhookSubscription;
import io.pulse.engine.journal.JournalFailures;
import java.time.Clock;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One webhook subscription: its definition, delivery position and dead letters, journaled; and, on
 * whichever node owns it, the delivery run that works from that position, started as a child.
 * Deliveries are at least once: the position moves only after the receiver has acknowledged a
 * transition or the transition is filed as a dead letter, so a restart repeats at most what was
 * delivered since the last recorded position.
 */
public final class SubscriptionEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        SubscriptionEntity.Command, SubscriptionChange, SubscriptionState> {

  private static final java.util.regex.Pattern WELL_FORMED_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "webhook-subscription");

  /** Messages a subscription understands. */
  public sealed interface Command extends CborSerializable
      permits Create,
          Get,
          Delete,
          Replay,
          Redeliver,
          Wake,
          ReportDelivered,
          ReportDeadLetter,
          ReportRedelivered,
          RunStopped {}

  /** Creates the subscription; deliveries start with transitions after {@code startAfter}. */
  public record Create(
      WebhookSubscription subscription,
      long startAfter,
      ActorRef<StatusReply<SubscriptionState>> replyTo)
      implements Command {}

  /** Asks for the state; an unknown or deleted subscription answers a state that is not active. */
  public record Get(ActorRef<SubscriptionState> replyTo) implements Command {}

  /** Deletes the subscription; the answer is the state before the delete. */
  public record Delete(ActorRef<SubscriptionState> replyTo) implements Command {}

  /** Delivers again every matching transition from {@code fromOffset} (inclusive) on. */
  public record Replay(long fromOffset, ActorRef<StatusReply<SubscriptionState>> replyTo)
      implements Command {}

  /** Redelivers every dead letter. */
  public record Redeliver(ActorRef<StatusReply<SubscriptionState>> replyTo) implements Command {}

  /**
   * Makes sure the delivery run is going, and that the secret is sealed under the current key; sent
   * periodically so that runs survive restarts.
   */
  public record Wake() implements Command {}

  /** From the run: every transition up to {@code offset} is delivered or dead-lettered. */
  public record ReportDelivered(long generation, long offset, ActorRef<Done> replyTo)
      implements Command {}

  /** From the run: a transition ran out of attempts. */
  public record ReportDeadLetter(long generation, DeadLetter letter, ActorRef<Done> replyTo)
      implements Command {}

  /** From the run: a dead letter was redelivered. */
  public record ReportRedelivered(long generation, long offset, ActorRef<Done> replyTo)
      implements Command {}

  /** The child performing run {@code generation} has stopped. */
  public record RunStopped(long generation) implements Command {}

  private final ActorContext<Command> context;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final String tenant;
  private final SubscriptionDelivery delivery;
  private final SubscriptionSettings settings;
  private final Clock clock;
  private ActorRef<?> run;
  private long runGeneration = -1;

  /** Registers the entity type with sharding on this node. */
  public static void init(
      ActorSystem<?> system,
      SubscriptionDelivery delivery,
      SubscriptionSettings settings,
      Clock clock) {
    // A subscription must keep delivering while nobody talks to it, so it is never passivated
    // for being idle; one that is not active asks its shard to passivate it.
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY,
                    entityContext ->
                        create(
                            entityContext.getEntityId(),
                            entityContext.getShard(),
                            delivery,
                            settings,
                            clock))
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  /** The subscription {@code subscriptionId} of {@code tenant}. */
  public static EntityRef<Command> refFor(
      ActorSystem<?> system, String tenant, String subscriptionId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, entityId(tenant, subscriptionId));
  }

  /**
   * {@code <tenant>|<subscriptionId>}; the default tenant's subscriptions keep the bare ids they
   * had before tenants existed, so that their journals stay theirs. Another tenant's id names
   * another entity, which has no subscription: a lookup across tenants finds nothing.
   */
  public static String entityId(String tenant, String subscriptionId) {
    if (!isWellFormedId(subscriptionId)) {
      // A '|' in the id would let one tenant name another tenant's subscription.
      throw new IllegalArgumentException("not a subscription id: " + subscriptionId);
    }
    return TenantId.DEFAULT.value().equals(tenant) ? subscriptionId : tenant + "|" + subscriptionId;
  }

  /** Whether {@code id} has the shape of a subscription id, and so may name an entity. */
  public static boolean isWellFormedId(String id) {
    return id != null && WELL_FORMED_ID.matcher(id).matches();
  }

  /** The tenant of an entity id made by {@link #entityId}. */
  public static String tenantOf(String entityId) {
    int separator = entityId.indexOf('|');
    return separator < 0 ? TenantId.DEFAULT.value() : entityId.substring(0, separator);
  }

  /** The entity; {@code shard} is where it asks to be passivated when it is not active. */
  public static Behavior<Command> create(
      String subscriptionId,
      ActorRef<ClusterSharding.ShardCommand> shard,
      SubscriptionDelivery delivery,
      SubscriptionSettings settings,
      Clock clock) {
    return Behaviors.setup(
        context ->
            new SubscriptionEntity(context, subscriptionId, shard, delivery, settings, clock));
  }

  private final JournalFailures failures;

  private SubscriptionEntity(
      ActorContext<Command> context,
      String subscriptionId,
      ActorRef<ClusterSharding.ShardCommand> shard,
      SubscriptionDelivery delivery,
      SubscriptionSettings settings,
      Clock clock) {
    super(
        PersistenceId.ofUniqueId(ENTITY_KEY.name() + "|" + subscriptionId),
        // Stopped on a journal failure and started again by its next message (the keeper's, at
        // the latest), rather than kept in a restart backoff that outlasts the outage.
        JournalFailures.stopOnFirstFailure());
    this.failures = JournalFailures.of(context.getSystem());
    this.context = context;
    this.tenant = tenantOf(subscriptionId);
    this.shard = shard;
    this.delivery = delivery;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public SubscriptionState emptyState() {
    return SubscriptionState.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, SubscriptionChange, SubscriptionState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Get.class, this::onGet)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Replay.class, this::onReplay)
        .onCommand(Redeliver.class, this::onRedeliver)
        .onCommand(Wake.class, this::onWake)
        .onCommand(ReportDelivered.class, this::onDelivered)
        .onCommand(ReportDeadLetter.class, this::onDeadLetter)
        .onCommand(ReportRedelivered.class, this::onRedelivered)
        .onCommand(RunStopped.class, this::onRunStopped)
        .build();
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onCreate(
      SubscriptionState state, Create command) {
    if (state.subscription() != null) {
      return Effect()
          .reply(
              command.replyTo(),
              StatusReply.error("subscription " + command.subscription().id() + " exists"));
    }
    return Effect()
        .persist(new SubscriptionChange.Created(command.subscription(), command.startAfter()))
        .thenRun(this::keepRunning)
        .thenReply(command.replyTo(), StatusReply::success);
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onGet(
      SubscriptionState state, Get command) {
    if (!state.isActive()) {
      return Effect().none().thenRun(this::passivate).thenReply(command.replyTo(), after -> state);
    }
    return Effect().reply(command.replyTo(), state);
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onDelete(
      SubscriptionState state, Delete command) {
    if (!state.isActive()) {
      return Effect().none().thenRun(this::passivate).thenReply(command.replyTo(), after -> state);
    }
    return Effect()
        .persist(new SubscriptionChange.Deleted(clock.instant()))
        .thenRun(this::keepRunning)
        .thenRun(this::passivate)
        .thenReply(command.replyTo(), after -> state);
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onReplay(
      SubscriptionState state, Replay command) {
    if (!state.isActive()) {
      return Effect().reply(command.replyTo(), StatusReply.error("not found"));
    }
    return Effect()
        .persist(new SubscriptionChange.ReplayRequested(command.fromOffset(), clock.instant()))
        .thenRun(this::keepRunning)
        .thenReply(command.replyTo(), StatusReply::success);
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onRedeliver(
      SubscriptionState state, Redeliver command) {
    if (!state.isActive()) {
      return Effect().reply(command.replyTo(), StatusReply.error("not found"));
    }
    if (state.deadLetters().isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.success(state));
    }
    return Effect()
        .persist(new SubscriptionChange.RedeliveryRequested(clock.instant()))
        .thenRun(this::keepRunning)
        .thenReply(command.replyTo(), StatusReply::success);
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onWake(
      SubscriptionState state, Wake command) {
    if (!state.isActive()) {
      return Effect().none().thenRun(this::passivate).thenNoReply();
    }
    Optional<String> resealed = delivery.resealedSecret(state.subscription());
    if (resealed.isPresent()) {
      return Effect()
          .persist(new SubscriptionChange.SecretResealed(resealed.get(), clock.instant()))
          .thenRun(this::keepRunning)
          .thenNoReply();
    }
    return Effect().none().thenRun(this::keepRunning).thenNoReply();
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onDelivered(
      SubscriptionState state, ReportDelivered report) {
    return persistIfAny(state.delivered(report.generation(), report.offset()), report.replyTo());
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onDeadLetter(
      SubscriptionState state, ReportDeadLetter report) {
    return persistIfAny(
        state.deadLettered(report.generation(), report.letter(), settings.maxDeadLetters()),
        report.replyTo());
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onRedelivered(
      SubscriptionState state, ReportRedelivered report) {
    Optional<SubscriptionChange> change =
        state.isActive()
                && report.generation() == state.generation()
                && state.deadLetterAt(report.offset()).isPresent()
            ? Optional.of(new SubscriptionChange.DeadLetterDelivered(report.offset()))
            : Optional.empty();
    return persistIfAny(change, report.replyTo());
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> persistIfAny(
      Optional<SubscriptionChange> change, ActorRef<Done> replyTo) {
    // A report from an outdated run is acknowledged and dropped: the current run redoes its work.
    if (change.isEmpty()) {
      return Effect().reply(replyTo, Done.getInstance());
    }
    return Effect().persist(change.get()).thenReply(replyTo, after -> Done.getInstance());
  }

  private ReplyEffect<SubscriptionChange, SubscriptionState> onRunStopped(
      SubscriptionState state, RunStopped stopped) {
    if (stopped.generation() == runGeneration) {
      // The next Wake starts a new run; a run handles its own failures, so this is rare.
      run = null;
      runGeneration = -1;
    }
    return Effect().noReply();
  }

  /**
   * Asks the shard to stop this entity: an unknown or deleted subscription need not stay in memory.
   * Through the shard, not by stopping itself, so that messages arriving meanwhile are kept and
   * start it again.
   */
  private void passivate(SubscriptionState state) {
    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
  }

  /** Makes the child run match the state: one run of the current generation while active. */
  private void keepRunning(SubscriptionState state) {
    boolean current = run != null && runGeneration == state.generation();
    if (state.isActive() && current) {
      return;
    }
    if (run != null) {
      context.stop(run);
      run = null;
      runGeneration = -1;
    }
    if (state.isActive()) {
      DeliveryRun next =
          new DeliveryRun(
              tenant,
              state.subscription(),
              state.generation(),
              state.deliveredOffset(),
              state.pendingRedeliveries());
      ActorRef<?> started = context.spawnAnonymous(delivery.start(next, context.getSelf()));
      context.watchWith(started, new RunStopped(state.generation()));
      run = started;
      runGeneration = state.generation();
    }
  }

  @Override
  public EventHandler<SubscriptionState, SubscriptionChange> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(SubscriptionState::apply);
  }

  @Override
  public SignalHandler<SubscriptionState> signalHandler() {
    return failures
        .reportedIn(newSignalHandlerBuilder(), context.getLog(), persistenceId().id())
        .onSignal(RecoveryCompleted.instance(), this::keepRunning)
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }
}
