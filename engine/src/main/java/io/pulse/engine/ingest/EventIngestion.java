package io.pulse.engine.ingest;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.user.UserEntity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Hands validated events to their user entities and completes when every user's group is durable.
 *
 * <p>A request is split into one command per user. Replies from all entities go to a single
 * long-lived receiver that matches them by correlation id, so there is no ask (and no temporary
 * actor) per user or per event. The number of unacknowledged events on this node is bounded: beyond
 * it a request is refused at once rather than queued without limit.
 */
public final class EventIngestion {

  private static final AtomicLong INSTANCES = new AtomicLong();

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final IngestSettings settings;
  private final ActorRef<UserEntity.Recorded> replies;
  private final Map<Long, PendingRequest> pending = new ConcurrentHashMap<>();
  private final AtomicLong correlationIds = new AtomicLong();
  private final AtomicInteger inFlightEvents = new AtomicInteger();

  public EventIngestion(ActorSystem<?> system, IngestSettings settings) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.replies =
        system.systemActorOf(
            replyReceiver(), "ingest-replies-" + INSTANCES.incrementAndGet(), Props.empty());
  }

  public int inFlightEvents() {
    return inFlightEvents.get();
  }

  /**
   * Records the events; the stage completes once all of them are durable, or fails with {@link
   * IngestOverloadedException} at once, or with {@link IngestTimeoutException} after the timeout.
   */
  public CompletionStage<IngestResult> ingest(List<BehaviouralEvent> events) {
    if (events.isEmpty()) {
      return CompletableFuture.completedFuture(new IngestResult(0, 0));
    }
    int size = events.size();
    if (inFlightEvents.addAndGet(size) > settings.maxInFlightEvents()) {
      inFlightEvents.addAndGet(-size);
      return CompletableFuture.failedFuture(
          new IngestOverloadedException(
              "this node holds "
                  + settings.maxInFlightEvents()
                  + " unacknowledged events, its limit"));
    }
    Map<String, List<BehaviouralEvent>> byUser = new LinkedHashMap<>();
    for (BehaviouralEvent event : events) {
      byUser.computeIfAbsent(event.userId(), user -> new ArrayList<>(2)).add(event);
    }
    long correlationId = correlationIds.incrementAndGet();
    PendingRequest request = new PendingRequest(byUser.size(), size);
    pending.put(correlationId, request);
    request.timeout =
        system
            .scheduler()
            .scheduleOnce(
                settings.timeout(), () -> expire(correlationId), system.executionContext());
    for (Map.Entry<String, List<BehaviouralEvent>> group : byUser.entrySet()) {
      sharding
          .entityRefFor(
              UserEntity.ENTITY_KEY, UserEntity.entityId(settings.tenant(), group.getKey()))
          .tell(new UserEntity.RecordEvents(correlationId, group.getValue(), replies));
    }
    return request.result;
  }

  private void expire(long correlationId) {
    PendingRequest request = pending.remove(correlationId);
    if (request != null) {
      inFlightEvents.addAndGet(-request.events);
      request.result.completeExceptionally(
          new IngestTimeoutException(
              "not every event was confirmed durable within " + settings.timeout()));
    }
  }

  private Behavior<UserEntity.Recorded> replyReceiver() {
    return Behaviors.receive(UserEntity.Recorded.class)
        .onMessage(
            UserEntity.Recorded.class,
            recorded -> {
              PendingRequest request = pending.get(recorded.correlationId());
              if (request != null
                  && request.add(recorded)
                  && pending.remove(recorded.correlationId(), request)) {
                request.timeout.cancel();
                inFlightEvents.addAndGet(-request.events);
                request.result.complete(new IngestResult(request.accepted, request.duplicates));
              }
              return Behaviors.same();
            })
        .build();
  }

  /** One request's outstanding groups; only touched by the reply receiver. */
  private static final class PendingRequest {
    final CompletableFuture<IngestResult> result = new CompletableFuture<>();
    final int events;
    int groupsLeft;
    int accepted;
    int duplicates;
    volatile Cancellable timeout;

    PendingRequest(int groups, int events) {
      this.groupsLeft = groups;
      this.events = events;
    }

    boolean add(UserEntity.Recorded recorded) {
      accepted += recorded.accepted();
      duplicates += recorded.duplicates();
      return --groupsLeft == 0;
    }
  }
}
