package io.pulse.engine.model;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The durable source of truth for scoring models: one sharded entity per tenant. Every change is
 * published on a cluster-wide topic so that each node's {@link ModelCatalog} follows it.
 */
public final class ModelRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<
        ModelRegistry.Command, ModelRegistry.Event, ModelRegistry.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "model-registry");

  /** The cluster-wide topic on which every catalog change is announced. */
  public static final String TOPIC = "pulse-model-catalog";

  /** Messages the registry understands. */
  public sealed interface Command extends CborSerializable
      permits PutModel, DeleteModel, GetCatalog, ReportRescoring {}

  /** Creates or replaces a model; an unchanged definition keeps its version. */
  public record PutModel(ScoringModel model, ActorRef<StatusReply<ModelPut>> replyTo)
      implements Command {}

  /** Removes a model. */
  public record DeleteModel(String modelId, ActorRef<ModelDeleted> replyTo) implements Command {}

  /** The answer to a delete; {@code found} is false for a model that did not exist. */
  public record ModelDeleted(String modelId, boolean found) implements CborSerializable {}

  /** Asks for the current catalog. */
  public record GetCatalog(ActorRef<ModelCatalogRevision> replyTo) implements Command {}

  /** Progress of a re-scoring, from the coordinator; ignored if a newer change superseded it. */
  public record ReportRescoring(RescoringProgress progress, ActorRef<Done> replyTo)
      implements Command {}

  /** The answer to a put: the stored model, and whether it was new or changed. */
  public record ModelPut(ScoringModel model, boolean created, boolean changed, long revision)
      implements CborSerializable {}

  /** Journaled changes of the registry. */
  public sealed interface Event extends CborSerializable
      permits ModelStored, ModelRemoved, RescoringReported {}

  /** A model was created or replaced by a new version. */
  public record ModelStored(ScoringModel model) implements Event {}

  /** A model was removed. */
  public record ModelRemoved(String modelId) implements Event {}

  /** A re-scoring progressed or finished. */
  public record RescoringReported(RescoringProgress progress) implements Event {}

  /**
   * The models, how many changes led to them, and the re-scoring each change started; a fresh
   * registry holds the default model.
   */
  public record State(
      long revision, ScoringModels models, Map<String, RescoringProgress> rescorings)
      implements CborSerializable {

    public State {
      rescorings = rescorings == null ? Map.of() : Map.copyOf(rescorings);
    }

    /** A registry with no re-scoring recorded. */
    public State(long revision, ScoringModels models) {
      this(revision, models, Map.of());
    }

    State apply(Event event) {
      Map<String, RescoringProgress> nextRescorings = new HashMap<>(rescorings);
      if (event instanceof ModelStored stored) {
        ScoringModel model = stored.model();
        nextRescorings.put(
            model.id(), RescoringProgress.started(model.id(), model.version(), false));
        return new State(revision + 1, models.with(model), nextRescorings);
      }
      if (event instanceof ModelRemoved removed) {
        long version = models.get(removed.modelId()).map(ScoringModel::version).orElse(0L);
        nextRescorings.put(
            removed.modelId(), RescoringProgress.started(removed.modelId(), version, true));
        return new State(revision + 1, models.without(removed.modelId()), nextRescorings);
      }
      RescoringProgress progress = ((RescoringReported) event).progress();
      nextRescorings.put(progress.model(), progress);
      ScoringModels nextModels = progress.finished() ? models.rescored(progress.model()) : models;
      return new State(revision + 1, nextModels, nextRescorings);
    }

    /** Whether {@code progress} is about the latest change of its model. */
    boolean isCurrent(RescoringProgress progress) {
      RescoringProgress held = rescorings.get(progress.model());
      return held != null
          && held.version() == progress.version()
          && held.forget() == progress.forget()
          && !held.finished();
    }

    ModelCatalogRevision catalog() {
      return new ModelCatalogRevision(revision, models, rescorings);
    }
  }

  private final ActorRef<Topic.Command<ModelCatalogRevision>> topic;

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, context -> create(context.getEntityId())));
  }

  public static EntityRef<Command> refFor(ActorSystem<?> system, String tenant) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, tenant);
  }

  public static Behavior<Command> create(String tenant) {
    return Behaviors.setup(
        context ->
            new ModelRegistry(
                tenant, context.spawn(Topic.create(ModelCatalogRevision.class, TOPIC), "topic")));
  }

  private ModelRegistry(String tenant, ActorRef<Topic.Command<ModelCatalogRevision>> topic) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), tenant),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.topic = topic;
  }

  @Override
  public State emptyState() {
    return new State(0, ScoringModels.of(ScoringModel.defaultEngagement()));
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(PutModel.class, this::onPut)
        .onCommand(DeleteModel.class, this::onDelete)
        .onCommand(ReportRescoring.class, this::onReportRescoring)
        .onCommand(
            GetCatalog.class,
            (state, command) -> Effect().reply(command.replyTo(), state.catalog()))
        .build();
  }

  private ReplyEffect<Event, State> onPut(State state, PutModel command) {
    List<String> problems = command.model().problems();
    if (!problems.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.error(String.join("; ", problems)));
    }
    ScoringModel existing = state.models().get(command.model().id()).orElse(null);
    if (existing != null && existing.sameDefinitionAs(command.model())) {
      return Effect()
          .reply(
              command.replyTo(),
              StatusReply.success(new ModelPut(existing, false, false, state.revision())));
    }
    ScoringModel stored =
        command.model().withVersion(existing == null ? 1 : existing.version() + 1);
    return Effect()
        .persist(new ModelStored(stored))
        .thenRun(this::announce)
        .thenReply(
            command.replyTo(),
            after ->
                StatusReply.success(
                    new ModelPut(stored, existing == null, true, after.revision())));
  }

  private ReplyEffect<Event, State> onDelete(State state, DeleteModel command) {
    if (state.models().get(command.modelId()).isEmpty()) {
      return Effect().reply(command.replyTo(), new ModelDeleted(command.modelId(), false));
    }
    return Effect()
        .persist(new ModelRemoved(command.modelId()))
        .thenRun(this::announce)
        .thenReply(command.replyTo(), after -> new ModelDeleted(command.modelId(), true));
  }

  private ReplyEffect<Event, State> onReportRescoring(State state, ReportRescoring command) {
    if (!state.isCurrent(command.progress())) {
      return Effect().reply(command.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(new RescoringReported(command.progress()))
        .thenRun(this::announce)
        .thenReply(command.replyTo(), after -> Done.getInstance());
  }

  private void announce(State state) {
    topic.tell(Topic.publish(state.catalog()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }
}
