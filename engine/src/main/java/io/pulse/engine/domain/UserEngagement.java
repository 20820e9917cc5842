package io.pulse.engine.domain;

import io.pulse.engine.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything Pulse knows about one user: per model standing, customer metrics, and the recent event
 * ids used to recognise retries. Immutable; every change returns a new instance.
 */
public record UserEngagement(
    String userId,
    Map<String, ModelScore> scores,
    CustomerMetrics metrics,
    RecentEventIds recentEventIds,
    Instant scheduledWakeUp)
    implements CborSerializable {

  public UserEngagement {
    Objects.requireNonNull(userId, "userId");
    scores = scores == null ? Map.of() : Map.copyOf(scores);
    metrics = metrics == null ? CustomerMetrics.none() : metrics;
    Objects.requireNonNull(recentEventIds, "recentEventIds");
  }

  /** A user with no wake-up requested. */
  public UserEngagement(
      String userId,
      Map<String, ModelScore> scores,
      CustomerMetrics metrics,
      RecentEventIds recentEventIds) {
    this(userId, scores, metrics, recentEventIds, null);
  }

  public static UserEngagement empty(String userId, int recentEventIdCapacity) {
    return new UserEngagement(
        userId,
        Map.of(),
        CustomerMetrics.none(),
        RecentEventIds.withCapacity(recentEventIdCapacity),
        null);
  }

  public boolean hasEvents() {
    return metrics.events() > 0;
  }

  /**
   * Decides what a group of events does: duplicates are skipped, every other event is scored in
   * every model, and each band it changes becomes a transition caused by that event. Segments left
   * by decay or inactivity before an event are transitions of their own, at the moment they
   * happened.
   */
  public Recording record(List<BehaviouralEvent> events, ScoringModels models) {
    UserEngagement state = this;
    List<EngagementChange> changes = new ArrayList<>(events.size() + 2);
    int accepted = 0;
    int duplicates = 0;
    for (BehaviouralEvent event : events) {
      if (state.recentEventIds.contains(event.eventId())) {
        duplicates++;
        continue;
      }
      accepted++;
      for (ScoringModel model : models.all()) {
        state = state.catchUp(model, event.timestamp(), changes);
      }
      ScoredEvent scored = state.score(event, models);
      changes.add(scored);
      state = state.apply(scored);
      for (ModelAward award : scored.awards()) {
        // A qualifying event ends inactivity in its model.
        ModelScore standing = state.scoreIn(award.model());
        ScoringModel model = models.get(award.model()).orElse(null);
        // A late event, dated before the last qualifying one, does not make the user active.
        if (standing.inactive() && model != null && event.timestamp().equals(standing.asOf())) {
          double score = model.scoreFor(standing.pointsAt(event.timestamp(), model));
          state =
              state.emit(
                  model,
                  SegmentTransition.INACTIVE,
                  null,
                  score,
                  event.timestamp(),
                  TransitionCause.EVENT,
                  changes);
        }
      }
      for (ScoringModel model : models.all()) {
        Instant at = state.scoreIn(model.id()).evaluationTime(event.timestamp());
        state = state.moveIfBandChanged(model, at, TransitionCause.EVENT, changes);
      }
    }
    return new Recording(state, changes, accepted, duplicates);
  }

  /**
   * Brings every model up to {@code now} with no event: bands left by decay and inactivity reached,
   * each a transition dated when it happened.
   */
  public Recording wakeUp(ScoringModels models, Instant now) {
    UserEngagement state = this;
    List<EngagementChange> changes = new ArrayList<>(2);
    for (ScoringModel model : models.all()) {
      state = state.catchUp(model, now, changes);
    }
    return new Recording(state, changes, 0, 0);
  }

  /**
   * Replays the user's accepted events, in journal order, under a new version of {@code model}: the
   * recomputed standing replaces the old one, and a band that differs now is a transition caused by
   * the model change.
   */
  public Recording rescore(ScoringModel model, List<BehaviouralEvent> history, Instant now) {
    UserEngagement replay = UserEngagement.empty(userId, RecentEventIds.CHUNK_SIZE);
    ScoringModels only = ScoringModels.of(model);
    for (BehaviouralEvent event : history) {
      replay = replay.apply(replay.score(event, only));
    }
    ModelScore replayed = replay.scoreIn(model.id());
    ModelScore current = scoreIn(model.id());
    boolean inactive =
        model.inactiveAfter() != null
            && replayed.asOf() != null
            && !model.inactiveAfter().inactiveAt(replayed.asOf()).isAfter(now);
    List<EngagementChange> changes = new ArrayList<>(3);
    ModelRescored rescored = new ModelRescored(current.replacedBy(replayed, model.version()));
    changes.add(rescored);
    UserEngagement state = apply(rescored);
    state = state.moveIfBandChanged(model, now, TransitionCause.MODEL_CHANGE, changes);
    ModelScore standing = state.scoreIn(model.id());
    if (inactive != standing.inactive()) {
      double score = model.scoreFor(standing.pointsAt(now, model));
      state =
          inactive
              ? state.emit(
                  model,
                  null,
                  SegmentTransition.INACTIVE,
                  score,
                  now,
                  TransitionCause.MODEL_CHANGE,
                  changes)
              : state.emit(
                  model,
                  SegmentTransition.INACTIVE,
                  null,
                  score,
                  now,
                  TransitionCause.MODEL_CHANGE,
                  changes);
    }
    return new Recording(state, changes, 0, 0);
  }

  /**
   * Removes a deleted model's standing; leaving its band and its inactive segment are model-change
   * transitions. {@code lastVersion}, if still known, gives the score the user left with.
   */
  public Recording forget(String model, Instant now) {
    return forget(model, null, now);
  }

  /** As {@link #forget(String, Instant)}, scoring the exit under the model's last version. */
  public Recording forget(String model, ScoringModel lastVersion, Instant now) {
    ModelScore standing = scores.get(model);
    if (standing == null || (standing.band() == null && standing.asOf() == null)) {
      return new Recording(this, List.of(), 0, 0);
    }
    double score =
        lastVersion == null ? 0 : lastVersion.scoreFor(standing.pointsAt(now, lastVersion));
    long version = lastVersion == null ? standing.modelVersion() : lastVersion.version();
    List<EngagementChange> changes = new ArrayList<>(3);
    UserEngagement state = this;
    if (standing.inactive()) {
      state =
          state.emit(
              model,
              version,
              SegmentTransition.INACTIVE,
              null,
              score,
              now,
              TransitionCause.MODEL_CHANGE,
              changes);
    }
    if (standing.band() != null) {
      state =
          state.emit(
              model,
              version,
              standing.band(),
              null,
              score,
              now,
              TransitionCause.MODEL_CHANGE,
              changes);
    }
    ModelForgotten forgotten = new ModelForgotten(model);
    changes.add(forgotten);
    return new Recording(state.apply(forgotten), changes, 0, 0);
  }

  /**
   * Whether this user's standing in {@code model} reflects its current version. A user with events
   * but no such standing (a model created after them, or changed since) needs a replay.
   */
  public boolean scoredUnder(ScoringModel model) {
    ModelScore standing = scores.get(model.id());
    return standing != null && standing.modelVersion() >= model.version();
  }

  /**
   * The next moment decay or inactivity would change a segment of this user with no event, if any.
   */
  public Optional<Instant> nextSegmentChange(ScoringModels models) {
    Instant next = null;
    for (ScoringModel model : models.all()) {
      ModelScore standing = scoreIn(model.id());
      if (standing.asOf() == null) {
        continue;
      }
      Optional<Instant> decay = decayCrossing(model, standing);
      if (decay.isPresent() && (next == null || decay.get().isBefore(next))) {
        next = decay.get();
      }
      if (model.inactiveAfter() != null && !standing.inactive()) {
        Instant inactive = model.inactiveAfter().inactiveAt(standing.asOf());
        if (next == null || inactive.isBefore(next)) {
          next = inactive;
        }
      }
    }
    return Optional.ofNullable(next);
  }

  /**
   * The wake-up to journal so that the next segment change happens on time: needed when none is
   * pending, or when the pending one is later than the next change. A pending one that is earlier
   * is kept: it will fire, find nothing to do, and ask again.
   */
  public Optional<WakeUpScheduled> wakeUpToRequest(ScoringModels models, Instant now) {
    Optional<Instant> next = nextSegmentChange(models);
    if (next.isEmpty()) {
      return Optional.empty();
    }
    Instant due = next.get();
    boolean pending = scheduledWakeUp != null && scheduledWakeUp.isAfter(now);
    if (pending && !due.isBefore(scheduledWakeUp)) {
      return Optional.empty();
    }
    return Optional.of(new WakeUpScheduled(userId, due));
  }

  /**
   * When decay alone takes the user out of the held band. Nothing when the held band does not match
   * the points at all (the model's bands changed since): the next event or re-scoring settles that,
   * not decay.
   */
  private static Optional<Instant> decayCrossing(ScoringModel model, ModelScore standing) {
    Optional<Instant> leaves =
        model.decayLeaves(standing.band(), standing.points(), standing.asOf());
    if (leaves.isPresent()
        && leaves.get().equals(standing.asOf())
        && !model.bandFor(model.scoreFor(standing.points())).equals(standing.band())) {
      return Optional.empty();
    }
    return leaves;
  }

  /** Decay and inactivity of {@code model} up to {@code until}, as transitions. */
  private UserEngagement catchUp(
      ScoringModel model, Instant until, List<EngagementChange> changes) {
    UserEngagement state = this;
    ModelScore standing = state.scoreIn(model.id());
    if (standing.asOf() == null) {
      return state;
    }
    Instant inactiveAt =
        model.inactiveAfter() == null || standing.inactive()
            ? null
            : model.inactiveAfter().inactiveAt(standing.asOf());
    while (true) {
      standing = state.scoreIn(model.id());
      Optional<Instant> leaves = decayCrossing(model, standing);
      String below = model.bandBelow(standing.band());
      if (leaves.isEmpty() || leaves.get().isAfter(until) || below == null) {
        break;
      }
      Instant at = leaves.get();
      if (inactiveAt != null && !inactiveAt.isAfter(at) && !inactiveAt.isAfter(until)) {
        state = state.enterInactivity(model, inactiveAt, changes);
        inactiveAt = null;
      }
      double score = model.scoreFor(standing.pointsAt(at, model));
      state = state.emit(model, standing.band(), below, score, at, TransitionCause.DECAY, changes);
    }
    if (inactiveAt != null && !inactiveAt.isAfter(until)) {
      state = state.enterInactivity(model, inactiveAt, changes);
    }
    return state;
  }

  private UserEngagement enterInactivity(
      ScoringModel model, Instant at, List<EngagementChange> changes) {
    double score = model.scoreFor(scoreIn(model.id()).pointsAt(at, model));
    return emit(
        model, null, SegmentTransition.INACTIVE, score, at, TransitionCause.INACTIVITY, changes);
  }

  /**
   * Emits a transition into {@code changes} if the band at {@code at} differs from the held one.
   */
  private UserEngagement moveIfBandChanged(
      ScoringModel model, Instant at, TransitionCause cause, List<EngagementChange> changes) {
    ModelScore standing = scoreIn(model.id());
    double score = model.scoreFor(standing.pointsAt(at, model));
    String band = model.bandFor(score);
    if (band.equals(standing.band())) {
      return this;
    }
    return emit(model, standing.band(), band, score, at, cause, changes);
  }

  private UserEngagement emit(
      ScoringModel scoring,
      String from,
      String to,
      double score,
      Instant at,
      TransitionCause cause,
      List<EngagementChange> changes) {
    return emit(scoring.id(), scoring.version(), from, to, score, at, cause, changes);
  }

  private UserEngagement emit(
      String model,
      long version,
      String from,
      String to,
      double score,
      Instant at,
      TransitionCause cause,
      List<EngagementChange> changes) {
    SegmentTransition transition =
        new SegmentTransition(
            SegmentTransition.idFor(userId, model, scoreIn(model).transitions() + 1),
            userId,
            model,
            from,
            to,
            score,
            at,
            cause,
            version);
    changes.add(transition);
    return apply(transition);
  }

  /** The points one event earns in every model whose rules it matches. */
  ScoredEvent score(BehaviouralEvent event, ScoringModels models) {
    List<ModelAward> awards = new ArrayList<>(1);
    String day = ModelScore.utcDay(event.timestamp());
    for (ScoringModel model : models.all()) {
      ModelScore standing = scoreIn(model.id());
      double points = 0;
      List<Integer> counted = null;
      List<ScoringRule> rules = model.rules();
      for (int i = 0; i < rules.size(); i++) {
        ScoringRule rule = rules.get(i);
        if (rule.matches(event)
            && (rule.dailyCap() == null
                || (standing.keepsCountsOf(day) && standing.countOn(day, i) < rule.dailyCap()))) {
          points += rule.points();
          if (counted == null) {
            counted = new ArrayList<>(1);
          }
          counted.add(i);
        }
      }
      if (counted != null) {
        awards.add(standing.award(model, points, counted, event.timestamp()));
      }
    }
    boolean purchase = event.orderAmount().isPresent();
    return new ScoredEvent(
        event,
        awards,
        metrics.events() == 0,
        purchase ? metrics.orders() + 1 : metrics.orders(),
        purchase ? metrics.lastPurchaseAt() : null);
  }

  /** Applies a journaled change; used both when recording and when recovering. */
  public UserEngagement apply(EngagementChange change) {
    if (change instanceof ScoredEvent scored) {
      return apply(scored);
    }
    if (change instanceof SegmentTransition transition) {
      return apply(transition);
    }
    if (change instanceof WakeUpScheduled wakeUp) {
      return new UserEngagement(userId, scores, metrics, recentEventIds, wakeUp.dueAt());
    }
    if (change instanceof ModelRescored rescored) {
      return withScore(rescored.score());
    }
    return withScore(scoreIn(((ModelForgotten) change).model()).forgotten());
  }

  UserEngagement apply(ScoredEvent scored) {
    Map<String, ModelScore> nextScores = scores;
    if (!scored.awards().isEmpty()) {
      nextScores = new HashMap<>(scores);
      for (ModelAward award : scored.awards()) {
        nextScores.put(award.model(), scoreIn(award.model()).apply(award));
      }
    }
    return new UserEngagement(
        userId,
        nextScores,
        metrics.record(scored.event()),
        recentEventIds.add(scored.event().eventId()),
        scheduledWakeUp);
  }

  UserEngagement apply(SegmentTransition transition) {
    return withScore(scoreIn(transition.model()).follow(transition));
  }

  private UserEngagement withScore(ModelScore score) {
    Map<String, ModelScore> nextScores = new HashMap<>(scores);
    nextScores.put(score.model(), score);
    return new UserEngagement(userId, nextScores, metrics, recentEventIds, scheduledWakeUp);
  }

  public ModelScore scoreIn(String model) {
    ModelScore standing = scores.get(model);
    return standing == null ? ModelScore.empty(model) : standing;
  }

  /** The score and band in {@code model} at {@code now}, decay applied. */
  public ModelStanding standingIn(ScoringModel model, Instant now) {
    ModelScore standing = scoreIn(model.id());
    double points = standing.pointsAt(now, model);
    double score = model.scoreFor(points);
    return new ModelStanding(model.id(), score, model.bandFor(score), points, standing.asOf());
  }

  /** Whether the user is in {@code <model>:inactive} at {@code now}. */
  public boolean inactiveIn(ScoringModel model, Instant now) {
    ModelScore standing = scoreIn(model.id());
    return model.inactiveAfter() != null
        && standing.asOf() != null
        && !model.inactiveAfter().inactiveAt(standing.asOf()).isAfter(now);
  }
}
