package io.pulse.engine.domain;

import io.pulse.engine.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything Pulse knows about one user: per model standing, customer metrics, and the recent event
 * ids used to recognise retries. Immutable; every change returns a new instance.
 */
public record UserEngagement(
    String userId,
    Map<String, ModelScore> scores,
    CustomerMetrics metrics,
    RecentEventIds recentEventIds)
    implements CborSerializable {

  public UserEngagement {
    Objects.requireNonNull(userId, "userId");
    scores = scores == null ? Map.of() : Map.copyOf(scores);
    metrics = metrics == null ? CustomerMetrics.none() : metrics;
    Objects.requireNonNull(recentEventIds, "recentEventIds");
  }

  public static UserEngagement empty(String userId, int recentEventIdCapacity) {
    return new UserEngagement(
        userId,
        Map.of(),
        CustomerMetrics.none(),
        RecentEventIds.withCapacity(recentEventIdCapacity));
  }

  public boolean hasEvents() {
    return metrics.events() > 0;
  }

  /**
   * Decides what a group of events does: duplicates are skipped, every other event is scored in
   * every model, and each band it changes becomes a transition caused by that event.
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
      // A band left by decay alone since the last event is a decay transition, not the event's.
      for (ScoringModel model : models.all()) {
        ModelScore standing = state.scoreIn(model.id());
        if (standing.band() != null
            && standing.asOf() != null
            && event.timestamp().isAfter(standing.asOf())) {
          state = state.moveIfBandChanged(model, event.timestamp(), TransitionCause.DECAY, changes);
        }
      }
      ScoredEvent scored = state.score(event, models);
      changes.add(scored);
      state = state.apply(scored);
      for (ScoringModel model : models.all()) {
        Instant at = state.scoreIn(model.id()).evaluationTime(event.timestamp());
        state = state.moveIfBandChanged(model, at, TransitionCause.EVENT, changes);
      }
    }
    return new Recording(state, changes, accepted, duplicates);
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
    SegmentTransition transition =
        new SegmentTransition(
            SegmentTransition.idFor(userId, model.id(), standing.transitions() + 1),
            userId,
            model.id(),
            standing.band(),
            band,
            score,
            at,
            cause);
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
    return new ScoredEvent(event, awards);
  }

  /** Applies a journaled change; used both when recording and when recovering. */
  public UserEngagement apply(EngagementChange change) {
    if (change instanceof ScoredEvent scored) {
      return apply(scored);
    }
    return apply((SegmentTransition) change);
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
        recentEventIds.add(scored.event().eventId()));
  }

  UserEngagement apply(SegmentTransition transition) {
    Map<String, ModelScore> nextScores = new HashMap<>(scores);
    nextScores.put(transition.model(), scoreIn(transition.model()).enter(transition.to()));
    return new UserEngagement(userId, nextScores, metrics, recentEventIds);
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
}
