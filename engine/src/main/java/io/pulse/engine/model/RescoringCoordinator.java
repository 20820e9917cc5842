package io.pulse.engine.model;

import io.pulse.engine.user.UserEntity;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 * with bounded parallelism so that ingestion keeps its pace. One per cluster (a singleton); it
 * takes its work from the registry's unfinished re-scorings, so a restart resumes the work.
 */
public final class RescoringCoordinator {

  /** What the coordinator reacts to. */
  public sealed interface Command permits Poll, CatalogRead, JobEnded {}

  private enum Poll implements Command {
    INSTANCE
  }

  private record CatalogRead(ModelCatalogRevision catalog) implements Command {}

  private record JobEnded(RescoringProgress job) implements Command {}

  /** Settings, from {@code pulse.rescoring} and the user entity's read journal. */
  public record Settings(
      String tenant, int parallelism, String readJournal, Duration pollInterval) {}

  private final ActorContext<Command> context;
  private final Settings settings;
  private final Map<String, RunningJob> running = new HashMap<>();

  private record RunningJob(RescoringProgress job, UniqueKillSwitch killSwitch) {}

  public static void init(ActorSystem<?> system, Settings settings) {
    ClusterSingleton.get(system)
        .init(SingletonActor.of(create(settings), "rescoring-coordinator-" + settings.tenant()));
  }

  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
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
        .onMessage(CatalogRead.class, this::onCatalog)
        .onMessage(JobEnded.class, this::onJobEnded)
        .build();
  }

  private Behavior<Command> poll() {
    context.pipeToSelf(
        ModelRegistry.refFor(context.getSystem(), settings.tenant())
            .<ModelCatalogRevision>ask(ModelRegistry.GetCatalog::new, settings.pollInterval()),
        (catalog, failure) -> new CatalogRead(failure == null ? catalog : null));
    return Behaviors.same();
  }

  private Behavior<Command> onCatalog(CatalogRead read) {
    if (read.catalog() == null) {
      // The registry did not answer in time; the next poll asks again.
      return Behaviors.same();
    }
    for (RescoringProgress wanted : read.catalog().rescorings().values()) {
      if (wanted.finished()) {
        continue;
      }
      RunningJob current = running.get(wanted.model());
      if (current != null) {
        if (current.job().version() == wanted.version()
            && current.job().forget() == wanted.forget()) {
          continue;
        }
        // A newer change supersedes the job under way.
        current.killSwitch().shutdown();
      }
      running.put(wanted.model(), start(wanted));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onJobEnded(JobEnded ended) {
    RunningJob current = running.get(ended.job().model());
    if (current != null && current.job().equals(ended.job())) {
      running.remove(ended.job().model());
    }
    return Behaviors.same();
  }

  private RunningJob start(RescoringProgress job) {
    ActorSystem<?> system = context.getSystem();
    context.getLog().info("Re-scoring users for {} version {}", job.model(), job.version());
    CurrentPersistenceIdsQuery journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(CurrentPersistenceIdsQuery.class, settings.readJournal());
    String prefix = UserEntity.ENTITY_KEY.name() + "|" + settings.tenant() + "|";
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
                            id -> rescore(id.substring(prefix.length()), job))
                        .groupedWithin(1000, Duration.ofSeconds(1))
                        .mapAsync(
                            1, batch -> report(job, done.addAndGet(batch.size()), count, false)))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    UniqueKillSwitch killSwitch = materialized.first();
    materialized
        .second()
        .thenCompose(finished -> total.thenCompose(count -> report(job, count, count, true)))
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                system.log().warn("Re-scoring {} stopped: {}", job.model(), failure.getMessage());
              }
              context.getSelf().tell(new JobEnded(job));
            });
    return new RunningJob(job, killSwitch);
  }

  /** Re-scores one user, retrying while this node's catalog has not caught up yet. */
  private CompletionStage<Done> rescore(String userId, RescoringProgress job) {
    return attempt(userId, job, 0);
  }

  private CompletionStage<Done> attempt(String userId, RescoringProgress job, int attempt) {
    ActorSystem<?> system = context.getSystem();
    var user =
        ClusterSharding.get(system)
            .entityRefFor(UserEntity.ENTITY_KEY, UserEntity.entityId(settings.tenant(), userId));
    Duration timeout = Duration.ofSeconds(30);
    CompletionStage<Done> outcome =
        job.forget()
            ? user.<Done>ask(replyTo -> new UserEntity.ForgetModel(job.model(), replyTo), timeout)
            : user.<StatusReply<Done>>ask(
                    replyTo -> new UserEntity.Rescore(job.model(), job.version(), replyTo), timeout)
                .thenCompose(
                    reply ->
                        reply.isSuccess()
                            ? CompletableFuture.completedFuture(Done.getInstance())
                            : CompletableFuture.failedFuture(reply.getError()));
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
                            () -> attempt(userId, job, attempt + 1))
                        : CompletableFuture.<Done>failedFuture(failure))
        .thenCompose(stage -> stage);
  }

  private CompletionStage<Done> report(
      RescoringProgress job, long done, long total, boolean finished) {
    RescoringProgress progress =
        new RescoringProgress(job.model(), job.version(), job.forget(), done, total, finished);
    return ModelRegistry.refFor(context.getSystem(), settings.tenant())
        .ask(
            replyTo -> new ModelRegistry.ReportRescoring(progress, replyTo),
            Duration.ofSeconds(10));
  }
}
