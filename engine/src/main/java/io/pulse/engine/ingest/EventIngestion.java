package io.pulse.engine.ingest;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.EventRefusal;
import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.journal.JournalStatus;
import io.pulse.engine.journal.JournalUnavailableException;
import io.pulse.engine.user.UserEntity;
import io.pulse.engine.user.UserRecoveries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/**
 * Hands validated events to their user entities and completes when every user's group is durable.
 *
 * <p>A request is split into one part per user. Replies from all entities go to a single long-lived
 * receiver that matches them by correlation id, so there is no ask (and no temporary actor) per
 * user or per event. Parts for a user whose previous write is still in flight wait and are sent
 * together as one write when it is confirmed. The number of unacknowledged events on this node is
 * bounded, and so is the number of users it is loading from the journal: beyond either a request is
 * refused at once rather than queued without limit.
 *
 * <p>While the node knows its journal database is unavailable, requests are refused at once, and
 * the moment it finds out, every request still waiting is answered: none of them could be confirmed
 * before the timeout, and their clients are better off retrying after the outage.
 */
public final class EventIngestion {

  private static final AtomicLong INSTANCES = new AtomicLong();

  private final ActorSystem<?> system;
  private volatile ActorRef<ShardingEnvelope<UserEntity.Command>> userRegion;
  private final IngestSettings settings;
  private final ActorRef<UserEntity.PartsRecorded> replies;
  private final JournalAvailability journal;
  private final IntSupplier recovering;
  private final AdmissionLimit admission;
  private final Map<String, UserLane> lanes = new ConcurrentHashMap<>();

  /** Most events coalesced into one write of a user. */
  static final int MAX_EVENTS_PER_WRITE = 1000;

  private final Map<Long, PendingRequest> pending = new ConcurrentHashMap<>();
  private final AtomicLong correlationIds = new AtomicLong();
  private final AtomicInteger inFlightEvents = new AtomicInteger();

  public EventIngestion(ActorSystem<?> system, IngestSettings settings) {
    this(system, settings, UserRecoveries.get(system)::inProgress);
  }

  /** With {@code recovering} telling how many users the node is loading from the journal now. */
  EventIngestion(ActorSystem<?> system, IngestSettings settings, IntSupplier recovering) {
    this.system = system;
    this.settings = settings;
    this.replies =
        system.systemActorOf(
            replyReceiver(), "ingest-replies-" + INSTANCES.incrementAndGet(), Props.empty());
    this.journal = JournalAvailability.get(system);
    this.recovering = recovering;
    this.admission =
        new AdmissionLimit(
            settings.initialInFlightEvents(),
            settings.maxInFlightEvents(),
            settings.targetLatency().toNanos());
    Runnable stopFollowing =
        journal.onChange(
            status -> {
              if (!status.available()) {
                giveUpWaiting(status);
              }
            });
    system.getWhenTerminated().thenRun(stopFollowing);
  }

  public int inFlightEvents() {
    return inFlightEvents.get();
  }

  /** The unacknowledged events this node admits now (see {@link AdmissionLimit}). */
  public int admissionLimit() {
    return admission.limit();
  }

  /**
   * Records the events; the stage completes once all of them are durable, or fails with {@link
   * IngestOverloadedException} or {@link JournalUnavailableException} at once, or with {@link
   * IngestTimeoutException} after the timeout (or when the journal failed a write).
   */
  public CompletionStage<IngestResult> ingest(String tenant, List<BehaviouralEvent> events) {
    if (events.isEmpty()) {
      return CompletableFuture.completedFuture(new IngestResult(0, 0));
    }
    JournalStatus status = journal.status();
    if (!status.available()) {
      journal.refused();
      return CompletableFuture.failedFuture(new JournalUnavailableException(status));
    }
    int size = events.size();
    String refusal = admit(size);
    if (refusal != null) {
      return CompletableFuture.failedFuture(new IngestOverloadedException(refusal));
    }
    Map<String, List<BehaviouralEvent>> byUser = new LinkedHashMap<>();
    for (BehaviouralEvent event : events) {
      byUser
          .computeIfAbsent(UserEntity.entityId(tenant, event.userId()), user -> new ArrayList<>(2))
          .add(event);
    }
    long correlationId = correlationIds.incrementAndGet();
    PendingRequest request = new PendingRequest(byUser.size(), size, System.nanoTime());
    pending.put(correlationId, request);
    request.timeout =
        system
            .scheduler()
            .scheduleOnce(
                settings.timeout(), () -> expire(correlationId), system.executionContext());
    if (!journal.isAvailable()) {
      // The journal was found gone after the check above, and perhaps after every waiting request
      // was answered: this one would wait for the timeout.
      giveUp(correlationId, journal.status());
      return request.result;
    }
    long deadline = System.currentTimeMillis() + settings.timeout().toMillis();
    for (Map.Entry<String, List<BehaviouralEvent>> group : byUser.entrySet()) {
      dispatch(group.getKey(), new UserEntity.Part(correlationId, group.getValue(), deadline));
    }
    return request.result;
  }

  /**
   * Counts {@code size} more events in flight if the node admits them now, and answers null; else
   * answers why not, counting nothing. The decision and the count are one compare-and-set, so a
   * refused request never shows in the count that others see, and an admitted one is never refused
   * after it was counted. A node holding nothing admits any request: it can always make progress,
   * even should the count of users it is loading be wrong.
   */
  private String admit(int size) {
    int loading = recovering.getAsInt();
    while (true) {
      int before = inFlightEvents.get();
      if (before > 0 && loading >= settings.maxRecoveringUsers()) {
        return "this node is loading "
            + loading
            + " users from the journal, its bound (pulse.ingest.max-recovering-users)";
      }
      if (!admission.admits(before, size)) {
        return "this node holds "
            + before
            + " unacknowledged events and admits "
            + admission.limit()
            + " now (pulse.ingest.max-in-flight-events is "
            + settings.maxInFlightEvents()
            + "; the limit rises as requests are acknowledged within "
            + settings.targetLatency().toMillis()
            + " ms)";
      }
      if (inFlightEvents.compareAndSet(before, before + size)) {
        return null;
      }
    }
  }

  /**
   * Sends a user's part at once if no write of that user from this node is in flight; otherwise it
   * waits, and joins the parts sent together when that write is confirmed. A hot user thus gets one
   * write per round trip, whatever the number of requests naming it, and its entity's stash stays
   * small. A write unconfirmed for longer than the request timeout is presumed lost.
   */
  private void dispatch(String entityId, UserEntity.Part part) {
    List<UserEntity.Part> toSend = new ArrayList<>(1);
    long now = System.nanoTime();
    lanes.compute(
        entityId,
        (user, lane) -> {
          if (lane == null) {
            lane = new UserLane();
          } else if (now - lane.sentAt < settings.timeout().toNanos()) {
            lane.waiting.add(part);
            return lane;
          }
          lane.sentAt = now;
          lane.waiting.add(part);
          lane.drainInto(toSend);
          return lane;
        });
    send(entityId, toSend);
  }

  private void confirmed(String entityId) {
    List<UserEntity.Part> toSend = new ArrayList<>(1);
    lanes.computeIfPresent(
        entityId,
        (user, lane) -> {
          if (lane.waiting.isEmpty()) {
            return null;
          }
          lane.sentAt = System.nanoTime();
          lane.drainInto(toSend);
          return lane;
        });
    send(entityId, toSend);
  }

  private void send(String entityId, List<UserEntity.Part> parts) {
    if (parts.isEmpty()) {
      return;
    }
    userRegion()
        .tell(
            new ShardingEnvelope<>(entityId, new UserEntity.RecordParts(entityId, parts, replies)));
  }

  /** The users' shard region, looked up at the first write (sharding may start after this). */
  private ActorRef<ShardingEnvelope<UserEntity.Command>> userRegion() {
    ActorRef<ShardingEnvelope<UserEntity.Command>> region = userRegion;
    if (region == null) {
      region = UserEntity.shardRegion(system);
      userRegion = region;
    }
    return region;
  }

  /** The parts of one user waiting for its write in flight; guarded by the map's compute. */
  private static final class UserLane {
    final List<UserEntity.Part> waiting = new ArrayList<>(1);
    long sentAt;

    /** Moves waiting parts into one write, up to a full request's worth of events. */
    void drainInto(List<UserEntity.Part> write) {
      int events = 0;
      while (!waiting.isEmpty()
          && (write.isEmpty() || events + waiting.get(0).events().size() <= MAX_EVENTS_PER_WRITE)) {
        UserEntity.Part next = waiting.remove(0);
        events += next.events().size();
        write.add(next);
      }
    }
  }

  private void expire(long correlationId) {
    fail(
        correlationId,
        new IngestTimeoutException(
            "not every event was confirmed durable within " + settings.timeout()));
  }

  /** A user entity did not write a part of the request, or the journal failed its write. */
  private void unconfirmed(long correlationId) {
    JournalStatus status = journal.status();
    fail(
        correlationId,
        status.available()
            ? new IngestTimeoutException("the journal did not confirm every event as durable")
            : notConfirmed(status));
  }

  /** Answers every waiting request: the journal is gone and cannot confirm them. */
  private void giveUpWaiting(JournalStatus status) {
    for (Long correlationId : pending.keySet()) {
      giveUp(correlationId, status);
    }
    // Writes in flight will not be confirmed either; the next part of each user goes out at once.
    lanes.clear();
  }

  private void giveUp(long correlationId, JournalStatus status) {
    if (fail(correlationId, notConfirmed(status))) {
      journal.refused();
    }
  }

  private static JournalUnavailableException notConfirmed(JournalStatus status) {
    return new JournalUnavailableException(
        status,
        "the journal database became unavailable ("
            + status.reason()
            + ") before every event was confirmed durable");
  }

  private boolean fail(long correlationId, RuntimeException failure) {
    PendingRequest request = pending.remove(correlationId);
    if (request == null) {
      return false;
    }
    Cancellable timeout = request.timeout;
    if (timeout != null) {
      timeout.cancel();
    }
    answered(request, false);
    request.result.completeExceptionally(failure);
    return true;
  }

  private void answered(PendingRequest request, boolean acknowledged) {
    inFlightEvents.addAndGet(-request.events);
    long now = System.nanoTime();
    // A failure answered quickly (the journal is gone, say) shows nothing about the pace the node
    // keeps, and grows no limit; one answered late shows it cannot keep up.
    admission.answered(acknowledged ? request.events : 0, now - request.admittedNanos, now);
  }

  private Behavior<UserEntity.PartsRecorded> replyReceiver() {
    return Behaviors.receive(UserEntity.PartsRecorded.class)
        .onMessage(
            UserEntity.PartsRecorded.class,
            written -> {
              for (UserEntity.Recorded recorded : written.parts()) {
                if (recorded.expired()) {
                  // Dropped unwritten past the deadline, or its write failed: the request fails.
                  unconfirmed(recorded.correlationId());
                  continue;
                }
                PendingRequest request = pending.get(recorded.correlationId());
                if (request != null
                    && request.add(recorded)
                    && pending.remove(recorded.correlationId(), request)) {
                  request.timeout.cancel();
                  answered(request, true);
                  request.result.complete(
                      new IngestResult(request.accepted, request.duplicates, request.refused));
                }
              }
              confirmed(written.entityId());
              return Behaviors.same();
            })
        .build();
  }

  /** One request's outstanding groups; only touched by the reply receiver. */
  private static final class PendingRequest {
    final CompletableFuture<IngestResult> result = new CompletableFuture<>();
    final int events;
    final long admittedNanos;
    int groupsLeft;
    int accepted;
    int duplicates;
    final List<EventRefusal> refused = new ArrayList<>(0);
    volatile Cancellable timeout;

    PendingRequest(int groups, int events, long admittedNanos) {
      this.groupsLeft = groups;
      this.events = events;
      this.admittedNanos = admittedNanos;
    }

    boolean add(UserEntity.Recorded recorded) {
      accepted += recorded.accepted();
      duplicates += recorded.duplicates();
      if (!recorded.refused().isEmpty()) {
        refused.addAll(recorded.refused());
      }
      return --groupsLeft == 0;
    }
  }
}
