package io.pulse.api.webhook;

import io.pulse.engine.domain.Transition;
import io.pulse.engine.domain.subscription.DeadLetter;
import io.pulse.engine.domain.subscription.TransitionFilter;
import io.pulse.engine.subscription.DeliveryRun;
import io.pulse.engine.subscription.SubscriptionEntity;
import io.pulse.engine.user.UserEntity;
import io.pulse.persistence.FellBehindException;
import io.pulse.persistence.TaggedEventFeed;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One delivery run of a subscription, a child of its entity: a stream from the subscription's
 * position over the transitions, split into lanes by user so that one user's transitions go out one
 * at a time and in order while different users' go out in parallel; plus, when asked, a stream that
 * redelivers the dead letters. It records its position with the entity every commit interval, and
 * starts its stream over from the recorded position when the stream fails (the receiver is so slow
 * that it fell behind the live feed, or the entity did not answer).
 */
final class DeliveryWorker {

  sealed interface Message permits StreamEnded, RedeliveryEnded, CommitTick, Committed, Restart {}

  private record StreamEnded(long incarnation, Throwable failure) implements Message {}

  private record RedeliveryEnded(Throwable failure) implements Message {}

  private record CommitTick() implements Message {}

  private record Committed(long offset, boolean succeeded) implements Message {}

  private record Restart(boolean redelivery) implements Message {}

  private final DeliveryRun run;
  private final ActorRef<SubscriptionEntity.Command> entity;
  private final WebhookDeliveries deliveries;
  private final WebhookSettings settings;
  private final ActorContext<Message> context;
  private final TimerScheduler<Message> timers;
  private final Materializer materializer;
  private final TransitionFilter filter;
  private final String ownUsers;
  private final Set<Long> redelivered = ConcurrentHashMap.newKeySet();
  private DeliveryProgress progress;
  private UniqueKillSwitch stream;
  private long incarnation;
  private long committed;
  private long committedAtNanos = System.nanoTime();
  private boolean deliveredSinceCommit;
  private boolean committing;
  private Duration restartDelay;

  static Behavior<Message> create(
      DeliveryRun run, ActorRef<SubscriptionEntity.Command> entity, WebhookDeliveries deliveries) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new DeliveryWorker(run, entity, deliveries, context, timers).start()));
  }

  private DeliveryWorker(
      DeliveryRun run,
      ActorRef<SubscriptionEntity.Command> entity,
      WebhookDeliveries deliveries,
      ActorContext<Message> context,
      TimerScheduler<Message> timers) {
    this.run = run;
    this.entity = entity;
    this.deliveries = deliveries;
    this.settings = deliveries.settings();
    this.context = context;
    this.timers = timers;
    // Tied to this actor: every stream of the run stops with it.
    this.materializer = Materializer.createMaterializer(context);
    this.filter = run.subscription().filter();
    this.ownUsers = UserEntity.persistenceIdPrefix(run.tenant());
    this.committed = run.afterOffset();
    this.restartDelay = settings.minRestart();
  }

  private Behavior<Message> start() {
    startStream(run.afterOffset());
    if (!run.redeliveries().isEmpty()) {
      startRedelivery();
    }
    timers.startTimerWithFixedDelay(new CommitTick(), settings.commitInterval());
    return Behaviors.receive(Message.class)
        .onMessage(CommitTick.class, tick -> onCommitTick())
        .onMessage(Committed.class, this::onCommitted)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onMessage(RedeliveryEnded.class, this::onRedeliveryEnded)
        .onMessage(Restart.class, this::onRestart)
        .onSignal(PostStop.class, signal -> onStop())
        .build();
  }

  private void startStream(long afterOffset) {
    incarnation++;
    DeliveryProgress tracking = new DeliveryProgress(afterOffset);
    progress = tracking;
    Pair<UniqueKillSwitch, CompletionStage<Done>> materialized =
        deliveries
            .transitions()
            .after(afterOffset, settings.bufferSize())
            .viaMat(KillSwitches.single(), Keep.right())
            .map(envelope -> toDelivery(envelope, tracking))
            .filter(Optional::isPresent)
            .map(Optional::get)
            .groupBy(settings.lanes(), this::lane)
            .buffer(settings.laneBuffer(), OverflowStrategy.backpressure())
            .mapAsync(
                1,
                delivery ->
                    deliveries.deliver(run, entity, delivery, false).thenApply(done -> delivery))
            .mergeSubstreams()
            .map(
                delivery -> {
                  tracking.finished(delivery.offset());
                  return delivery;
                })
            .toMat(Sink.ignore(), Keep.both())
            .run(materializer);
    stream = materialized.first();
    long current = incarnation;
    context.pipeToSelf(materialized.second(), (done, failure) -> new StreamEnded(current, failure));
  }

  private void startRedelivery() {
    List<Delivery> pending =
        run.redeliveries().stream()
            .filter(letter -> !redelivered.contains(letter.offset()))
            .map(DeliveryWorker::asDelivery)
            .toList();
    CompletionStage<Done> done =
        Source.from(pending)
            .groupBy(settings.lanes(), this::lane)
            .mapAsync(
                1,
                delivery ->
                    deliveries
                        .deliver(run, entity, delivery, true)
                        .thenApply(
                            finished -> {
                              redelivered.add(delivery.offset());
                              return delivery;
                            }))
            .mergeSubstreams()
            .runWith(Sink.ignore(), materializer);
    context.pipeToSelf(done, (finished, failure) -> new RedeliveryEnded(failure));
  }

  private static Delivery asDelivery(DeadLetter letter) {
    return new Delivery(letter.offset(), letter.transition(), letter.attempts());
  }

  private Optional<Delivery> toDelivery(EventEnvelope envelope, DeliveryProgress tracking) {
    long offset = TaggedEventFeed.offsetOf(envelope);
    if (envelope.event() instanceof Transition transition
        && envelope.persistenceId().startsWith(ownUsers)
        && filter.matches(transition)) {
      tracking.examined(offset, true);
      return Optional.of(new Delivery(offset, transition, 0));
    }
    tracking.examined(offset, false);
    return Optional.empty();
  }

  private int lane(Delivery delivery) {
    return Math.floorMod(delivery.transition().userId().hashCode(), settings.lanes());
  }

  private Behavior<Message> onCommitTick() {
    long watermark = progress.watermark();
    deliveredSinceCommit |= progress.takeDelivered();
    boolean idleCommitDue =
        System.nanoTime() - committedAtNanos >= settings.idleCommitInterval().toNanos();
    if (!committing && watermark > committed && (deliveredSinceCommit || idleCommitDue)) {
      committing = true;
      deliveredSinceCommit = false;
      CompletionStage<Done> answer =
          AskPattern.ask(
              entity,
              replyTo ->
                  new SubscriptionEntity.ReportDelivered(run.generation(), watermark, replyTo),
              settings.askTimeout(),
              context.getSystem().scheduler());
      context.pipeToSelf(answer, (done, failure) -> new Committed(watermark, failure == null));
    }
    return Behaviors.same();
  }

  private Behavior<Message> onCommitted(Committed result) {
    committing = false;
    if (result.succeeded()) {
      committed = Math.max(committed, result.offset());
      committedAtNanos = System.nanoTime();
      // Progress again: a later failure starts its backoff from the beginning.
      restartDelay = settings.minRestart();
    } else {
      // Not recorded: the deliveries behind it still need their record at the next tick.
      deliveredSinceCommit = true;
    }
    return Behaviors.same();
  }

  private Behavior<Message> onStreamEnded(StreamEnded ended) {
    if (ended.incarnation() != incarnation) {
      return Behaviors.same();
    }
    Duration delay = restartDelay;
    if (ended.failure() instanceof FellBehindException) {
      // The receiver is slower than the live feed; reading the backlog from the journal again
      // costs little, so start over soon.
      context
          .getLog()
          .info(
              "Webhook deliveries of {} fell behind the live feed; continuing from the journal",
              run.subscription().id());
      delay = settings.minRestart();
    } else {
      context
          .getLog()
          .warn(
              "Webhook delivery stream of {} ended; starting over in {}",
              run.subscription().id(),
              delay,
              ended.failure());
      restartDelay = min(restartDelay.multipliedBy(2), settings.maxRestart());
    }
    timers.startSingleTimer(new Restart(false), delay);
    return Behaviors.same();
  }

  private Behavior<Message> onRedeliveryEnded(RedeliveryEnded ended) {
    if (ended.failure() != null) {
      context
          .getLog()
          .warn(
              "Redelivery of the dead letters of {} failed; trying again",
              run.subscription().id(),
              ended.failure());
      timers.startSingleTimer(new Restart(true), settings.maxRestart());
    }
    return Behaviors.same();
  }

  private Behavior<Message> onRestart(Restart restart) {
    if (restart.redelivery()) {
      startRedelivery();
    } else {
      startStream(Math.max(committed, progress.watermark()));
    }
    return Behaviors.same();
  }

  private Behavior<Message> onStop() {
    if (stream != null) {
      stream.shutdown();
    }
    // Best effort: what is not recorded here is delivered again by the next run.
    long watermark = progress.watermark();
    if (watermark > committed) {
      entity.tell(
          new SubscriptionEntity.ReportDelivered(
              run.generation(), watermark, context.getSystem().ignoreRef()));
    }
    return Behaviors.same();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
