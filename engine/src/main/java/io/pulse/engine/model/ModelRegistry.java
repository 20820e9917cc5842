package io.pulse.engine.model;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.InputLimitsConfig;
import io.pulse.engine.domain.DefinitionVersions;
import io.pulse.engine.domain.InputLimits;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.watch.CampaignWatch;
import io.pulse.engine.domain.watch.DateWatch;
import io.pulse.engine.journal.JournalFailures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
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
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable source of truth for scoring models, audiences and what campaigns watch: one sharded
 * entity per tenant, which starts with the default model. Every change is published on a
 * cluster-wide topic so that each node's {@link ModelCatalogs} follows it.
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
      permits PutModel,
          DeleteModel,
          GetCatalog,
          ReportRescoring,
          PutAudience,
          DeleteAudience,
          WatchCampaign {}

  /**
   * Sets what a campaign watches (nothing, for a campaign that is gone or needs nothing of users);
   * the reply is the catalog after it, or an error naming each audience it names that does not
   * exist, which changes nothing.
   *
   * <p>{@code campaignVersion} is 0 for the watch of a definition about to be stored, which is
   * always taken, so that users mark what it needs from the moment it is stored; once stored, the
   * same watch is sent again with the version the definition was stored as. The watch of an older
   * version than one already sent is then ignored: when two definitions of one campaign are stored
   * concurrently, the registry ends up watching for the one stored last, whatever order the
   * messages arrive in.
   */
  public record WatchCampaign(
      String campaignId,
      CampaignWatch watch,
      long campaignVersion,
      ActorRef<StatusReply<ModelCatalogRevision>> replyTo)
      implements Command {

    /** The watch of a definition about to be stored. */
    public WatchCampaign(
        String campaignId,
        CampaignWatch watch,
        ActorRef<StatusReply<ModelCatalogRevision>> replyTo) {
      this(campaignId, watch, 0, replyTo);
    }
  }

  /** Creates or replaces an audience; an unchanged definition keeps its version. */
  public record PutAudience(Audience audience, ActorRef<StatusReply<AudiencePut>> replyTo)
      implements Command {}

  /** The answer to an audience put: the stored audience, and whether it was new or changed. */
  public record AudiencePut(Audience audience, boolean created, boolean changed)
      implements CborSerializable {}

  /**
   * Removes an audience; an error reply means other audiences refer to it (and it is kept), and
   * {@code found} false that there was none.
   */
  public record DeleteAudience(String audienceId, ActorRef<StatusReply<Boolean>> replyTo)
      implements Command {}

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
      permits ModelStored,
          ModelRemoved,
          RescoringReported,
          AudienceStored,
          AudienceRemoved,
          CampaignWatched {}

  /**
   * What a campaign watches changed; an empty watch removes the campaign's. {@code campaignVersion}
   * is the version of the stored definition it is the watch of, 0 for one about to be stored (and
   * in events journaled before versions were kept).
   */
  public record CampaignWatched(String campaignId, CampaignWatch watch, long campaignVersion)
      implements Event {

    /** The watch of a definition about to be stored. */
    public CampaignWatched(String campaignId, CampaignWatch watch) {
      this(campaignId, watch, 0);
    }
  }

  /** An audience was created or replaced by a new version. */
  public record AudienceStored(Audience audience) implements Event {}

  /** An audience was removed. */
  public record AudienceRemoved(String audienceId) implements Event {}

  /** A model was created or replaced by a new version. */
  public record ModelStored(ScoringModel model) implements Event {}

  /** A model was removed. */
  public record ModelRemoved(String modelId) implements Event {}

  /** A re-scoring progressed or finished. */
  public record RescoringReported(RescoringProgress progress) implements Event {}

  /**
   * The models, how many changes led to them, the re-scoring each change started, the audiences,
   * and what each campaign watches; a fresh registry holds the default model.
   */
  public record State(
      long revision,
      ScoringModels models,
      Map<String, RescoringProgress> rescorings,
      Audiences audiences,
      Map<String, CampaignWatch> watches,
      Map<String, Long> watchedVersions)
      implements CborSerializable {

    public State {
      rescorings = rescorings == null ? Map.of() : Map.copyOf(rescorings);
      audiences = audiences == null ? Audiences.NONE : audiences;
      watches = watches == null ? Map.of() : Map.copyOf(watches);
      watchedVersions = watchedVersions == null ? Map.of() : Map.copyOf(watchedVersions);
    }

    /** A registry that knows no campaign version of what campaigns watch, as kept before. */
    public State(
        long revision,
        ScoringModels models,
        Map<String, RescoringProgress> rescorings,
        Audiences audiences,
        Map<String, CampaignWatch> watches) {
      this(revision, models, rescorings, audiences, watches, Map.of());
    }

    /** A registry whose campaigns watch nothing, as kept before campaigns watched users. */
    public State(
        long revision,
        ScoringModels models,
        Map<String, RescoringProgress> rescorings,
        Audiences audiences) {
      this(revision, models, rescorings, audiences, Map.of());
    }

    /** A registry with no audience, as kept before audiences existed. */
    public State(long revision, ScoringModels models, Map<String, RescoringProgress> rescorings) {
      this(revision, models, rescorings, Audiences.NONE);
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
        return new State(
            revision + 1, models.with(model), nextRescorings, audiences, watches, watchedVersions);
      }
      if (event instanceof ModelRemoved removed) {
        long version = models.get(removed.modelId()).map(ScoringModel::version).orElse(0L);
        nextRescorings.put(
            removed.modelId(), RescoringProgress.started(removed.modelId(), version, true));
        return new State(
            revision + 1,
            models.without(removed.modelId()),
            nextRescorings,
            audiences,
            watches,
            watchedVersions);
      }
      if (event instanceof AudienceStored stored) {
        Audience audience = stored.audience();
        RescoringProgress started =
            RescoringProgress.startedForAudience(audience.id(), audience.version(), false);
        nextRescorings.put(started.key(), started);
        return new State(
            revision + 1,
            models,
            nextRescorings,
            audiences.with(audience),
            watches,
            watchedVersions);
      }
      if (event instanceof AudienceRemoved removed) {
        long version = audiences.get(removed.audienceId()).map(Audience::version).orElse(0L);
        RescoringProgress started =
            RescoringProgress.startedForAudience(removed.audienceId(), version, true);
        nextRescorings.put(started.key(), started);
        return new State(
            revision + 1,
            models,
            nextRescorings,
            audiences.without(removed.audienceId()),
            watches,
            watchedVersions);
      }
      if (event instanceof CampaignWatched watched) {
        Map<String, CampaignWatch> nextWatches = new TreeMap<>(watches);
        if (watched.watch().isEmpty()) {
          nextWatches.remove(watched.campaignId());
        } else {
          nextWatches.put(watched.campaignId(), watched.watch());
        }
        if (!dateKeys(watches).containsAll(dateKeys(nextWatches))) {
          // Users who never act again must still be woken on their next date: visit them all.
          RescoringProgress started = RescoringProgress.startedForDates(revision + 1);
          nextRescorings.put(started.key(), started);
        }
        return new State(
            revision + 1,
            models,
            nextRescorings,
            audiences,
            nextWatches,
            DefinitionVersions.after(
                watchedVersions, watched.campaignId(), watched.campaignVersion()));
      }
      RescoringProgress progress = ((RescoringReported) event).progress();
      nextRescorings.put(progress.key(), progress);
      ScoringModels nextModels =
          progress.finished() && !progress.audience() && !progress.dates()
              ? models.rescored(progress.model())
              : models;
      return new State(
          revision + 1, nextModels, nextRescorings, audiences, watches, watchedVersions);
    }

    private static Set<String> dateKeys(Map<String, CampaignWatch> watches) {
      return watches.values().stream()
          .map(CampaignWatch::date)
          .filter(Objects::nonNull)
          .map(DateWatch::key)
          .collect(Collectors.toSet());
    }

    /** The campaigns that name {@code audienceId}, sorted. */
    List<String> campaignsNaming(String audienceId) {
      List<String> naming = new ArrayList<>();
      watches.forEach(
          (campaign, watch) -> {
            if (watch.audiences().containsValue(audienceId)) {
              naming.add(campaign);
            }
          });
      naming.sort(null);
      return naming;
    }

    /** Whether {@code progress} is about the latest change of its model or audience. */
    boolean isCurrent(RescoringProgress progress) {
      RescoringProgress held = rescorings.get(progress.key());
      return held != null
          && held.version() == progress.version()
          && held.forget() == progress.forget()
          && !held.finished();
    }

    ModelCatalogRevision catalog(String tenant) {
      return new ModelCatalogRevision(tenant, revision, models, rescorings, audiences, watches);
    }
  }

  private final String tenant;
  private final ActorRef<Topic.Command<ModelCatalogRevision>> topic;
  private final InputLimits limits;

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
                tenant,
                context.spawn(Topic.create(ModelCatalogRevision.class, TOPIC), "topic"),
                InputLimitsConfig.from(context.getSystem().settings().config()),
                JournalFailures.of(context.getSystem())));
  }

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  private final JournalFailures failures;

  private ModelRegistry(
      String tenant,
      ActorRef<Topic.Command<ModelCatalogRevision>> topic,
      InputLimits limits,
      JournalFailures failures) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), tenant),
        // Stopped on a journal failure and started again by its next message, rather than kept in
        // a restart backoff that outlasts the outage.
        JournalFailures.stopOnFirstFailure());
    this.failures = failures;
    this.tenant = tenant;
    this.topic = topic;
    this.limits = limits;
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
        .onCommand(PutAudience.class, this::onPutAudience)
        .onCommand(DeleteAudience.class, this::onDeleteAudience)
        .onCommand(WatchCampaign.class, this::onWatchCampaign)
        .onCommand(
            GetCatalog.class,
            (state, command) -> Effect().reply(command.replyTo(), state.catalog(tenant)))
        .build();
  }

  private ReplyEffect<Event, State> onPut(State state, PutModel command) {
    List<String> problems = command.model().problems(limits);
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

  private ReplyEffect<Event, State> onPutAudience(State state, PutAudience command) {
    List<String> problems = state.audiences().problemsWith(command.audience(), state.models());
    if (!problems.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.error(String.join("; ", problems)));
    }
    Audience existing = state.audiences().get(command.audience().id()).orElse(null);
    if (existing != null && existing.sameDefinitionAs(command.audience())) {
      return Effect()
          .reply(command.replyTo(), StatusReply.success(new AudiencePut(existing, false, false)));
    }
    Audience stored =
        command
            .audience()
            .withVersion(existing == null ? 1 : existing.version() + 1)
            .storedAt(Instant.now());
    return Effect()
        .persist(new AudienceStored(stored))
        .thenRun(this::announce)
        .thenReply(
            command.replyTo(),
            after -> StatusReply.success(new AudiencePut(stored, existing == null, true)));
  }

  private ReplyEffect<Event, State> onDeleteAudience(State state, DeleteAudience command) {
    if (state.audiences().get(command.audienceId()).isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.success(false));
    }
    List<String> referring = new ArrayList<>(state.audiences().referring(command.audienceId()));
    state
        .campaignsNaming(command.audienceId())
        .forEach(campaign -> referring.add("campaign " + campaign));
    if (!referring.isEmpty()) {
      return Effect()
          .reply(
              command.replyTo(),
              StatusReply.error(
                  "audience '"
                      + command.audienceId()
                      + "' is used by "
                      + String.join(", ", referring)));
    }
    return Effect()
        .persist(new AudienceRemoved(command.audienceId()))
        .thenRun(this::announce)
        .thenReply(command.replyTo(), after -> StatusReply.success(true));
  }

  private ReplyEffect<Event, State> onWatchCampaign(State state, WatchCampaign command) {
    String campaignId = command.campaignId();
    long version = command.campaignVersion();
    if (DefinitionVersions.isOlder(state.watchedVersions(), campaignId, version)) {
      // The watch of a definition that a newer one replaced meanwhile: the newer one's stays.
      return Effect().reply(command.replyTo(), StatusReply.success(state.catalog(tenant)));
    }
    List<String> problems = new ArrayList<>();
    command
        .watch()
        .audiences()
        .forEach(
            (field, audience) -> {
              if (state.audiences().get(audience).isEmpty()) {
                problems.add(field + " '" + audience + "' is not an audience");
              }
            });
    if (!problems.isEmpty()) {
      problems.sort(null);
      return Effect().reply(command.replyTo(), StatusReply.error(String.join("; ", problems)));
    }
    CampaignWatch held = state.watches().getOrDefault(campaignId, CampaignWatch.NONE);
    if (DefinitionVersions.changesNothing(
        state.watchedVersions(), campaignId, version, held.equals(command.watch()))) {
      return Effect().reply(command.replyTo(), StatusReply.success(state.catalog(tenant)));
    }
    return Effect()
        .persist(new CampaignWatched(campaignId, command.watch(), version))
        .thenRun(this::announce)
        .thenReply(command.replyTo(), after -> StatusReply.success(after.catalog(tenant)));
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
    topic.tell(Topic.publish(state.catalog(tenant)));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return failures.reportedIn(newSignalHandlerBuilder(), log, persistenceId().id()).build();
  }
}
