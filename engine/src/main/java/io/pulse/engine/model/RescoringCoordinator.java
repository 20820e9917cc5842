package io.pulse.engine.model;

import io.pulse.engine.user.UserEntity;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Re-scores every user with history after a model change, or removes a deleted model's standings,
 * re-evaluates them after an audience change, or brings them under new yearly dates that campaigns
 * watch, with bounded parallelism so that ingestion keeps its pace. One per cluster (a singleton)
 * for every tenant; it takes its work from the registries' unfinished re-scorings, announced or
 * read, so a restart resumes the work.
 */
public final class RescoringCoordinator {

  /** What the coordinator reacts to. */
  public sealed interface Command permits Poll, CatalogRead, Announced, JobEnded {}

  private enum Poll implements Command {
    INSTANCE
  }

  private record CatalogRead(ModelCatalogRevision catalog) implements Command {}

  /** A registry's announcement, from the cluster-wide topic. */
  private record Announced(ModelCatalogRevision catalog) implements Command {}

  private record JobEnded(String tenant, RescoringProgress job) implements Command {}

  /**
   * Settings, from {@code pulse.rescoring} and the user entity's read journal; every tenant in
   * {@code tenants} has its registry read each {@code pollInterval}, besides its announcements.
   */
  public record Settings(
      Supplier<? extends Collection<String>> tenants,
      int parallelism,
      String readJournal,
      Duration pollInterval) {}

  /**
   * A job of one tenant's model or audience: an id means different models in different tenants, and
   * a model and an audience may share one.
   */
  private record JobKey(String tenant, String key) {}

  private final ActorContext<Command> context;
  private final Settings settings;
  private final Map<JobKey, RunningJob> running = new HashMap<>();

  private record RunningJob(String tenant, RescoringProgress job, UniqueKillSwitch killSwitch) {}

  public static void init(ActorSystem<?> system, Settings settings) {
    // Named as when there was one coordinator per tenant and only the default one, so that nodes of
    // both releases share one singleton during a rolling upgrade.
    ClusterSingleton.get(system)
        .init(SingletonActor.of(create(settings), "rescoring-coordinator-default"));
  }

  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  context
                      .spawn(Topic.create(ModelCatalogRevision.class, ModelRegistry.TOPIC), "topic")
                      .tell(
                          Topic.subscribe(
                              context.messageAdapter(ModelCatalogRevision.class, Announced::new)));
                  timers.startTimerWithFixedDelay(
                      Poll.INSTANCE, Duration.ZERO, settings.pollInterval());
                  return new RescoringCoordinator(context, settings).behavior();
                }));
  }

  private RescoringCoordinator(ActorContext<Command> context, Settings settings) {
    this.context = context;
    this.settings = settings;
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Poll.INSTANCE, this::poll)
        .onMessage(CatalogRead.class, read -> onCatalog(read.catalog()))
        .onMessage(Announced.class, announced -> onCatalog(announced.catalog()))
        .onMessage(JobEnded.class, this::onJobEnded)
        .build();
  }

  private Behavior<Command> poll() {
    for (String tenant : settings.tenants().get()) {
      context.pipeToSelf(
          ModelRegistry.refFor(context.getSystem(), tenant)
              .<ModelCatalogRevision>ask(ModelRegistry.GetCatalog::new, settings.pollInterval()),
          (catalog, failure) -> new CatalogRead(failure == null ? catalog : null));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onCatalog(ModelCatalogRevision catalog) {
    if (catalog == null) {
      // The registry did not answer in time; the next poll asks again.
      return Behaviors.same();
    }
    for (RescoringProgress wanted : catalog.rescorings().values()) {
      if (wanted.finished()) {
        continue;
      }
      JobKey key = new JobKey(catalog.tenant(), wanted.key());
      RunningJob current = running.get(key);
      if (current != null) {
        if (current.job().version() == wanted.version()
            && current.job().forget() == wanted.forget()) {
          continue;
        }
        // A newer change supersedes the job under way.
        current.killSwitch().shutdown();
      }
      running.put(key, start(catalog.tenant(), wanted));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onJobEnded(JobEnded ended) {
    JobKey key = new JobKey(ended.tenant(), ended.job().key());
    RunningJob current = running.get(key);
    if (current != null && current.job().equals(ended.job())) {
      running.remove(key);
    }
    return Behaviors.same();
  }

  private RunningJob start(String tenant, RescoringProgress job) {
    ActorSystem<?> system = context.getSystem();
    context
        .getLog()
        .info(
            "Re-scoring users of {} for {} {} version {}",
            tenant,
            job.dates() ? "campaign" : job.audience() ? "audience" : "model",
            job.model(),
            job.version());
    CurrentPersistenceIdsQuery journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(CurrentPersistenceIdsQuery.class, settings.readJournal());
    String prefix = UserEntity.ENTITY_KEY.name() + "|" + tenant + "|";
    Source<String, NotUsed> users =
        journal.currentPersistenceIds().filter(id -> id.startsWith(prefix));
    AtomicLong done = new AtomicLong();
    CompletionStage<Long> total = users.runWith(Sink.fold(0L, (count, id) -> count + 1), system);
    var materialized =
        Source.completionStage(total)
            .flatMapConcat(
                count ->
                    users
                        .mapAsyncUnordered(
                            settings.parallelism(),
                            id -> rescore(tenant, id.substring(prefix.length()), job))
                        .groupedWithin(1000, Duration.ofSeconds(1))
                        .mapAsync(
                            1,
                            batch ->
                                report(tenant, job, done.addAndGet(batch.size()), count, false)))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    UniqueKillSwitch killSwitch = materialized.first();
    materialized
        .second()
        .thenCompose(
            finished -> total.thenCompose(count -> report(tenant, job, count, count, true)))
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                system.log().warn("Re-scoring {} stopped: {}", job.model(), failure.getMessage());
              }
              context.getSelf().tell(new JobEnded(tenant, job));
            });
    return new RunningJob(tenant, job, killSwitch);
  }

  /** Re-scores one user, retrying while this node's catalog has not caught up yet. */
  private CompletionStage<Done> rescore(String tenant, String userId, RescoringProgress job) {
    return attempt(tenant, userId, job, 0);
  }

  private CompletionStage<Done> attempt(
      String tenant, String userId, RescoringProgress job, int attempt) {
    ActorSystem<?> system = context.getSystem();
    var user =
        ClusterSharding.get(system)
            .entityRefFor(UserEntity.ENTITY_KEY, UserEntity.entityId(tenant, userId));
    Duration timeout = Duration.ofSeconds(30);
    CompletionStage<Done> outcome;
    if (job.dates()) {
      outcome =
          acknowledged(
              user.ask(replyTo -> new UserEntity.AlignWatches(job.version(), replyTo), timeout));
    } else if (job.audience()) {
      outcome =
          job.forget()
              ? user.<Done>ask(
                  replyTo -> new UserEntity.ForgetAudience(job.model(), replyTo), timeout)
              : acknowledged(
                  user.ask(
                      replyTo -> new UserEntity.Reevaluate(job.model(), job.version(), replyTo),
                      timeout));
    } else {
      outcome =
          job.forget()
              ? user.<Done>ask(replyTo -> new UserEntity.ForgetModel(job.model(), replyTo), timeout)
              : acknowledged(
                  user.ask(
                      replyTo -> new UserEntity.Rescore(job.model(), job.version(), replyTo),
                      timeout));
    }
    return outcome
        .handle(
            (ok, failure) ->
                failure == null
                    ? CompletableFuture.completedFuture(ok)
                    : attempt < 20
                        ? Patterns.after(
                            Duration.ofMillis(500),
                            system.classicSystem().scheduler(),
                            system.executionContext(),
                            () -> attempt(tenant, userId, job, attempt + 1))
                        : CompletableFuture.<Done>failedFuture(failure))
        .thenCompose(stage -> stage);
  }

  private static CompletionStage<Done> acknowledged(CompletionStage<StatusReply<Done>> reply) {
    return reply.thenCompose(
        answer ->
            answer.isSuccess()
                ? CompletableFuture.completedFuture(Done.getInstance())
                : CompletableFuture.failedFuture(answer.getError()));
  }

  private CompletionStage<Done> report(
      String tenant, RescoringProgress job, long done, long total, boolean finished) {
    RescoringProgress progress = job.progressed(done, total, finished);
    return ModelRegistry.refFor(context.getSystem(), tenant)
        .ask(
            replyTo -> new ModelRegistry.ReportRescoring(progress, replyTo),
            Duration.ofSeconds(10));
  }
}
