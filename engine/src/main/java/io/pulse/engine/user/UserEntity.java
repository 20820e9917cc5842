package io.pulse.engine.user;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.UserEngagement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One end user: scores every event the moment it arrives and journals the accepted events together
 * with the band transitions they cause, in one write per command.
 */
public final class UserEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        UserEntity.Command, EngagementChange, UserEngagement> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "user");

  /** The tag the read side follows to find transitions. */
  public static final String TRANSITION_TAG = "transition";

  private static final Set<String> TRANSITION_TAGS = Set.of(TRANSITION_TAG);

  /** Messages a user entity understands. */
  public sealed interface Command extends CborSerializable permits RecordEvents, GetEngagement {}

  /**
   * Records a group of events of this user in one write; {@code correlationId} lets one node-wide
   * receiver match the reply to its request without a temporary actor per ask.
   */
  public record RecordEvents(
      long correlationId, List<BehaviouralEvent> events, ActorRef<Recorded> replyTo)
      implements Command {}

  /** Asks for the user's current state. */
  public record GetEngagement(ActorRef<UserEngagement> replyTo) implements Command {}

  /** The group of a {@link RecordEvents} is durable. */
  public record Recorded(long correlationId, int accepted, int duplicates)
      implements CborSerializable {}

  private final String userId;
  private final Supplier<ScoringModels> models;
  private final UserEntitySettings settings;
  private final UserEntityObserver observer;

  /** Registers the entity type with sharding on this node, unobserved. */
  public static void init(
      ActorSystem<?> system, Supplier<ScoringModels> models, UserEntitySettings settings) {
    init(system, models, settings, UserEntityObserver.NONE);
  }

  /** Registers the entity type with sharding on this node. */
  public static void init(
      ActorSystem<?> system,
      Supplier<ScoringModels> models,
      UserEntitySettings settings,
      UserEntityObserver observer) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_KEY, context -> create(context.getEntityId(), models, settings, observer)));
  }

  public static Behavior<Command> create(
      String entityId,
      Supplier<ScoringModels> models,
      UserEntitySettings settings,
      UserEntityObserver observer) {
    return new UserEntity(entityId, models, settings, observer);
  }

  public static Behavior<Command> create(
      String entityId, Supplier<ScoringModels> models, UserEntitySettings settings) {
    return create(entityId, models, settings, UserEntityObserver.NONE);
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
      String entityId,
      Supplier<ScoringModels> models,
      UserEntitySettings settings,
      UserEntityObserver observer) {
    super(
        persistenceIdOf(entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.userId = userIdOf(entityId);
    this.models = models;
    this.settings = settings;
    this.observer = observer;
  }

  @Override
  public UserEngagement emptyState() {
    return UserEngagement.empty(userId, settings.recentEventIds());
  }

  @Override
  public CommandHandlerWithReply<Command, EngagementChange, UserEngagement> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RecordEvents.class, this::onRecordEvents)
        .onCommand(
            GetEngagement.class, (state, command) -> Effect().reply(command.replyTo(), state))
        .build();
  }

  private ReplyEffect<EngagementChange, UserEngagement> onRecordEvents(
      UserEngagement state, RecordEvents command) {
    long received = System.nanoTime();
    Recording recording = state.record(command.events(), models.get());
    Recorded reply =
        new Recorded(command.correlationId(), recording.accepted(), recording.duplicates());
    if (recording.changes().isEmpty()) {
      observer.recorded(0, recording.duplicates(), 0, 0);
      return Effect().reply(command.replyTo(), reply);
    }
    int transitions = recording.changes().size() - recording.accepted();
    return Effect()
        .persist(recording.changes())
        .thenReply(
            command.replyTo(),
            after -> {
              observer.recorded(
                  recording.accepted(),
                  recording.duplicates(),
                  transitions,
                  System.nanoTime() - received);
              return reply;
            });
  }

  @Override
  public EventHandler<UserEngagement, EngagementChange> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(UserEngagement::apply);
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
    return change instanceof SegmentTransition ? TRANSITION_TAGS : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }
}
