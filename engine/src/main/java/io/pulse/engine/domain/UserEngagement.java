package io.pulse.engine.domain;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.AudienceHit;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.audience.UserAudiences;
import io.pulse.engine.domain.audience.UserFacts;
import io.pulse.engine.domain.profile.TraitLimits;
import io.pulse.engine.domain.profile.Traits;
import io.pulse.engine.domain.watch.UserWatches;
import io.pulse.engine.domain.watch.WatchHit;
import io.pulse.engine.domain.watch.Watches;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything Pulse knows about one user: per model standing, customer metrics, the recent event ids
 * used to recognise retries, traits, the audiences the user is in, and what the user marks for the
 * campaigns that watch it. Immutable; every change returns a new instance.
 */
public record UserEngagement(
    String userId,
    Map<String, ModelScore> scores,
    CustomerMetrics metrics,
    RecentEventIds recentEventIds,
    Instant scheduledWakeUp,
    Traits traits,
    UserAudiences audiences,
    UserWatches watches)
    implements CborSerializable {

  public UserEngagement {
    Objects.requireNonNull(userId, "userId");
    scores = scores == null ? Map.of() : Map.copyOf(scores);
    metrics = metrics == null ? CustomerMetrics.none() : metrics;
    Objects.requireNonNull(recentEventIds, "recentEventIds");
    traits = traits == null ? Traits.NONE : traits;
    audiences = audiences == null ? UserAudiences.NONE : audiences;
    watches = watches == null ? UserWatches.NONE : watches;
  }

  /** A user not watched by any campaign, as kept before campaigns watched users. */
  public UserEngagement(
      String userId,
      Map<String, ModelScore> scores,
      CustomerMetrics metrics,
      RecentEventIds recentEventIds,
      Instant scheduledWakeUp,
      Traits traits,
      UserAudiences audiences) {
    this(
        userId,
        scores,
        metrics,
        recentEventIds,
        scheduledWakeUp,
        traits,
        audiences,
        UserWatches.NONE);
  }

  /** A user with no trait and no audience, as kept before they existed. */
  public UserEngagement(
      String userId,
      Map<String, ModelScore> scores,
      CustomerMetrics metrics,
      RecentEventIds recentEventIds,
      Instant scheduledWakeUp) {
    this(userId, scores, metrics, recentEventIds, scheduledWakeUp, Traits.NONE, UserAudiences.NONE);
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

  /** Whether anything is known about the user: an event, or a trait. */
  public boolean known() {
    return hasEvents() || !traits.isEmpty();
  }

  /**
   * Decides what a group of events does: duplicates are skipped, every other event is scored in
   * every model, and each band it changes becomes a transition caused by that event. Segments left
   * by decay or inactivity before an event are transitions of their own, at the moment they
   * happened.
   */
  public Recording record(List<BehaviouralEvent> events, ScoringModels models) {
    return record(events, Definitions.of(models), null, TraitLimits.DEFAULTS);
  }

  /** As below, with the default bounds of traits. */
  public Recording record(List<BehaviouralEvent> events, Definitions definitions, Instant now) {
    return record(events, definitions, now, TraitLimits.DEFAULTS);
  }

  /**
   * As {@link #record(List, ScoringModels)}, and decides the user's audiences at {@code now}: first
   * what time alone changed since they were last decided, then what the events change (a transition
   * caused by an event). {@code now} may be null where there is no audience.
   */
  public Recording record(
      List<BehaviouralEvent> events, Definitions definitions, Instant now, TraitLimits limits) {
    return record(events, definitions, now, limits, null);
  }

  /**
   * As above, when the caller already knows {@code knownNextChange}: what {@link #nextChange}
   * answered for this very user under these very {@code definitions} ({@link Instant#MAX} for
   * nothing), or null when it does not know. When that moment is after {@code now}, time alone
   * changed no audience since they were last decided, and they are not searched for such a moment
   * again: the search reads every audience's standing of a user who is seldom in the processor's
   * cache.
   */
  public Recording record(
      List<BehaviouralEvent> events,
      Definitions definitions,
      Instant now,
      TraitLimits limits,
      Instant knownNextChange) {
    ScoringModels models = definitions.models();
    List<EventRefusal> refused = new ArrayList<>(0);
    Audiences audienceDefinitions = definitions.audiences();
    Watches watched = definitions.watches();
    // Marks kept for campaigns that watch no more are dropped too, so that a count is never stale.
    boolean marking = now != null && !(watched.isEmpty() && watches.isEmpty());
    UserEngagement state = this;
    List<EngagementChange> changes = new ArrayList<>(events.size() + 2);
    if (!audienceDefinitions.isEmpty()
        && now != null
        && (knownNextChange == null || !knownNextChange.isAfter(now))) {
      state = state.catchUpAudiences(definitions, now, changes);
    }
    if (marking) {
      state = state.markWatches(watched, now, changes);
    }
    int accepted = 0;
    int duplicates = 0;
    for (BehaviouralEvent event : events) {
      if (state.recentEventIds.contains(event.eventId())) {
        duplicates++;
        continue;
      }
      TraitsChanged identified = null;
      if (event.traits() != null && !event.traits().isEmpty()) {
        Traits.Patched patched =
            state.traits.patch(event.traits(), limits, now == null ? event.timestamp() : now);
        if (patched.refused()) {
          refused.add(new EventRefusal(event.eventId(), String.join("; ", patched.problems())));
          continue;
        }
        identified = patched.change();
      }
      accepted++;
      for (ScoringModel model : models.all()) {
        state = state.catchUp(model, event.timestamp(), changes);
      }
      ScoredEvent scored =
          state.score(
              event,
              models,
              audienceDefinitions.isEmpty() || now == null
                  ? List.of()
                  : UserAudiences.hits(event, audienceDefinitions, now),
              // Without audiences there is nothing to decide later, and nothing more to journal.
              audienceDefinitions.isEmpty() ? null : now,
              marking ? watched.hitsOf(event, state.watches) : List.of());
      changes.add(scored);
      state = state.apply(scored);
      if (identified != null && !identified.isEmpty()) {
        changes.add(identified);
        state = state.apply(identified);
      }
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
    if (accepted > 0 && !audienceDefinitions.isEmpty() && now != null) {
      state = state.decideAudiences(definitions, now, TransitionCause.EVENT, changes);
    }
    if (accepted > 0 && marking) {
      // An identify event may have given the user a date that a campaign watches.
      state = state.alignWatches(watched, now, changes);
    }
    return new Recording(state, changes, accepted, duplicates, refused);
  }

  /**
   * Applies a JSON merge patch to the user's traits at {@code now}, and decides the audiences
   * again: a changed membership is a transition caused by the traits. Refused, changing nothing,
   * when the patch breaks the {@code limits}.
   */
  public Profiled patchTraits(
      Map<String, ?> patch, TraitLimits limits, Definitions definitions, Instant now) {
    Traits.Patched patched = traits.patch(patch, limits, now);
    if (patched.refused()) {
      return new Profiled(null, patched.problems());
    }
    List<EngagementChange> changes = new ArrayList<>(2);
    UserEngagement state = this;
    if (!definitions.audiences().isEmpty()) {
      state = state.catchUpAudiences(definitions, now, changes);
    }
    Watches watched = definitions.watches();
    boolean marking = !(watched.isEmpty() && watches.isEmpty());
    if (marking) {
      // Moments due under the old traits are reached before the traits change.
      state = state.markWatches(watched, now, changes);
    }
    if (!patched.change().isEmpty()) {
      changes.add(patched.change());
      state = state.apply(patched.change());
      if (!definitions.audiences().isEmpty()) {
        state = state.decideAudiences(definitions, now, TransitionCause.TRAIT, changes);
      }
      if (marking) {
        state = state.alignWatches(watched, now, changes);
      }
    }
    return new Profiled(new Recording(state, changes, 0, 0), List.of());
  }

  /** The outcome of a change of traits: what it records, or why it is refused. */
  public record Profiled(Recording recording, List<String> problems) {}

  /**
   * Rebuilds the user's standing in {@code audience} from its accepted {@code history} under the
   * audience's current definition, decided at {@code now}.
   */
  public Recording reevaluate(
      Audience audience, List<BehaviouralEvent> history, ScoringModels models, Instant now) {
    UserAudiences.Round round = audiences.reevaluate(audience, history, facts(models), now, userId);
    return new Recording(withAudiences(round.audiences()), round.changes(), 0, 0);
  }

  /** Removes a deleted audience: a member leaves it first. */
  public Recording forgetAudience(String audience, Instant now) {
    UserAudiences.Round round = audiences.forget(audience, now, userId);
    return new Recording(withAudiences(round.audiences()), round.changes(), 0, 0);
  }

  /** Whether the user's standing in {@code audience} reflects its current definition. */
  public boolean evaluatedUnder(Audience audience) {
    return audiences.evaluatedUnder(audience);
  }

  /**
   * Decides the moments that fell due up to {@code now} in the audiences this user is already
   * decided under. Called before a standing is rebuilt under a changed definition, or removed: the
   * rebuilt standing is decided at {@code now}, and with it the moment up to which the user's
   * audiences count as decided, so a moment before it that was not reached yet (a wait that ran out
   * while the user was out of memory) would otherwise be passed over.
   */
  public Recording reachAudienceMoments(Definitions definitions, Instant now) {
    List<Audience> decided =
        definitions.audiences().all().stream().filter(audiences::evaluatedUnder).toList();
    if (decided.isEmpty()) {
      return new Recording(this, List.of(), 0, 0);
    }
    List<EngagementChange> changes = new ArrayList<>(0);
    UserAudiences.Round round =
        audiences.catchUp(
            Audiences.of(decided.toArray(Audience[]::new)),
            facts(definitions.models()),
            now,
            userId);
    changes.addAll(round.changes());
    return new Recording(withAudiences(round.audiences()), changes, 0, 0);
  }

  private UserEngagement catchUpAudiences(
      Definitions definitions, Instant now, List<EngagementChange> changes) {
    UserAudiences.Round round =
        audiences.catchUp(definitions.audiences(), facts(definitions.models()), now, userId);
    changes.addAll(round.changes());
    return withAudiences(round.audiences());
  }

  private UserEngagement decideAudiences(
      Definitions definitions, Instant now, TransitionCause cause, List<EngagementChange> changes) {
    UserAudiences.Round round =
        audiences.decide(definitions.audiences(), facts(definitions.models()), now, cause, userId);
    changes.addAll(round.changes());
    return withAudiences(round.audiences());
  }

  private UserEngagement withAudiences(UserAudiences next) {
    return next == audiences
        ? this
        : new UserEngagement(
            userId, scores, metrics, recentEventIds, scheduledWakeUp, traits, next, watches);
  }

  private UserEngagement withWatches(UserWatches next) {
    return next == watches
        ? this
        : new UserEngagement(
            userId, scores, metrics, recentEventIds, scheduledWakeUp, traits, audiences, next);
  }

  /**
   * Whether the user's marks lack a count that {@code watches} asks for and that only the user's
   * history can give: a user with events who was not counted under a new watch.
   */
  public boolean needsHistoryFor(Watches watches) {
    return hasEvents() && this.watches.needsHistory(watches);
  }

  /**
   * Counts the user's accepted {@code history} under every counted watch of {@code watches}, and
   * brings the marks in line with them at {@code now}.
   */
  public Recording recount(Watches watched, List<BehaviouralEvent> history, Instant now) {
    UserWatches recounted = watches.recounted(watched, history);
    UserWatches aligned = recounted.alignedTo(watched, traits, hasEvents(), now).orElse(recounted);
    if (aligned.equals(watches)) {
      return new Recording(this, List.of(), 0, 0);
    }
    WatchesAligned change = new WatchesAligned(aligned, now);
    return new Recording(apply(change), List.of(change), 0, 0);
  }

  /** Brings the marks in line with {@code watched} and reaches the yearly moments due at now. */
  private UserEngagement markWatches(Watches watched, Instant now, List<EngagementChange> changes) {
    UserEngagement state = alignWatches(watched, now, changes);
    for (DateReached reached : state.watches.due(watched, state.traits, now, userId)) {
      changes.add(reached);
      state = state.apply(reached);
    }
    return state;
  }

  private UserEngagement alignWatches(
      Watches watched, Instant now, List<EngagementChange> changes) {
    Optional<UserWatches> aligned = watches.alignedTo(watched, traits, hasEvents(), now);
    if (aligned.isEmpty()) {
      return this;
    }
    WatchesAligned change = new WatchesAligned(aligned.get(), now);
    changes.add(change);
    return apply(change);
  }

  /** The audiences the user is a member of at {@code now}, with what time alone changed since. */
  public List<String> membershipsAt(Definitions definitions, Instant now) {
    if (definitions.audiences().isEmpty() || audiences.asOf() == null) {
      return audiences.memberships();
    }
    return audiences
        .catchUp(definitions.audiences(), facts(definitions.models()), now, userId)
        .audiences()
        .memberships();
  }

  /** What audience conditions read about this user, its scores under {@code models}. */
  public UserFacts facts(ScoringModels models) {
    return new RoundFacts(this, models);
  }

  /**
   * The facts of one user for one round of decisions. A round reads the same score many times (a
   * test of it in each audience, and the moment decay takes it past each band), so the points of
   * the last model read, at the last moment read, are kept for the next read.
   */
  private static final class RoundFacts implements UserFacts {
    private final UserEngagement user;
    private final ScoringModels models;
    private String pointsModel;
    private Instant pointsAt;
    private ScoringModel pointsScoring;
    private double points;

    RoundFacts(UserEngagement user, ScoringModels models) {
      this.user = user;
      this.models = models;
    }

    @Override
    public Traits traits() {
      return user.traits;
    }

    @Override
    public CustomerMetrics metrics() {
      return user.metrics;
    }

    @Override
    public Optional<Double> score(String model, Instant at) {
      return scoring(model, at) ? Optional.of(pointsScoring.scoreFor(points)) : Optional.empty();
    }

    @Override
    public Optional<String> band(String model, double score) {
      return models.get(model).map(scoring -> scoring.bandFor(score));
    }

    @Override
    public List<Band> bands(String model) {
      ScoringModel scoring = models.byId().get(model);
      return scoring == null ? List.of() : scoring.bands();
    }

    @Override
    public Optional<Instant> scoreReaches(String model, double score, Instant at) {
      return scoring(model, at)
          ? pointsScoring.decayReaches(pointsScoring.pointsForScore(score), points, at)
          : Optional.empty();
    }

    /** Whether {@code model} is a model, with its points at {@code at} in {@link #points}. */
    private boolean scoring(String model, Instant at) {
      if (model.equals(pointsModel) && at.equals(pointsAt)) {
        return true;
      }
      ScoringModel scoring = models.byId().get(model);
      if (scoring == null) {
        return false;
      }
      points = user.scoreIn(model).pointsAt(at, scoring);
      pointsScoring = scoring;
      pointsModel = model;
      pointsAt = at;
      return true;
    }
  }

  /**
   * Brings every model up to {@code now} with no event: bands left by decay and inactivity reached,
   * each a transition dated when it happened.
   */
  public Recording wakeUp(ScoringModels models, Instant now) {
    return wakeUp(Definitions.of(models), now);
  }

  /** As {@link #wakeUp(ScoringModels, Instant)}, and what time alone did to the audiences. */
  public Recording wakeUp(Definitions definitions, Instant now) {
    UserEngagement state = this;
    List<EngagementChange> changes = new ArrayList<>(2);
    for (ScoringModel model : definitions.models().all()) {
      state = state.catchUp(model, now, changes);
    }
    if (!definitions.audiences().isEmpty()) {
      state = state.catchUpAudiences(definitions, now, changes);
    }
    if (!(definitions.watches().isEmpty() && watches.isEmpty())) {
      state = state.markWatches(definitions.watches(), now, changes);
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
    return wakeUpToRequest(Definitions.of(models), now);
  }

  /**
   * The next moment decay, inactivity or time in an audience would change a segment or a membership
   * of this user with no event, or a yearly date a campaign watches falls, if any.
   */
  public Optional<Instant> nextChange(Definitions definitions, Instant now) {
    Optional<Instant> next = nextSegmentChange(definitions.models());
    if (!definitions.audiences().isEmpty()) {
      Optional<Instant> audience =
          audiences.nextChange(
              definitions.audiences(),
              facts(definitions.models()),
              audiences.asOf() == null ? now : audiences.asOf());
      if (audience.isPresent() && (next.isEmpty() || audience.get().isBefore(next.get()))) {
        next = audience;
      }
    }
    if (!watches.dates().isEmpty() && !definitions.watches().dates().isEmpty()) {
      Optional<Instant> moment = watches.nextMoment(definitions.watches(), traits);
      if (moment.isPresent() && (next.isEmpty() || moment.get().isBefore(next.get()))) {
        next = moment;
      }
    }
    return next;
  }

  /** As {@link #wakeUpToRequest(ScoringModels, Instant)}, for audiences too. */
  public Optional<WakeUpScheduled> wakeUpToRequest(Definitions definitions, Instant now) {
    return wakeUpFor(nextChange(definitions, now), now);
  }

  /**
   * The wake-up to request at {@code now} for {@code next}, the moment {@link #nextChange} found
   * for this user: none when the one already requested comes first.
   */
  public Optional<WakeUpScheduled> wakeUpFor(Optional<Instant> next, Instant now) {
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
    return score(event, models, List.of(), null, List.of());
  }

  /**
   * The same, with the audience behaviour it counts in, decided at {@code recordedAt}, and the
   * campaign watches it meets.
   */
  ScoredEvent score(
      BehaviouralEvent event,
      ScoringModels models,
      List<AudienceHit> audienceHits,
      Instant recordedAt,
      List<WatchHit> watchHits) {
    List<ModelAward> awards = new ArrayList<>(1);
    String day = ModelScore.utcDay(event.timestamp());
    for (ScoringModel model : models.all()) {
      ModelScore standing = scoreIn(model.id());
      double points = 0;
      List<Integer> counted = null;
      List<ScoringRule> rules = model.rules();
      for (int i = 0; i < rules.size(); i++) {
        ScoringRule rule = rules.get(i);
        double awarded = rule.pointsFor(event);
        if (!Double.isNaN(awarded)
            && (rule.dailyCap() == null
                || (standing.keepsCountsOf(day) && standing.countOn(day, i) < rule.dailyCap()))) {
          points = Saturating.add(points, awarded);
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
        purchase ? metrics.lastPurchaseAt() : null,
        audienceHits,
        recordedAt,
        watchHits);
  }

  /** Applies a journaled change; used both when recording and when recovering. */
  public UserEngagement apply(EngagementChange change) {
    if (change instanceof ScoredEvent scored) {
      return apply(scored);
    }
    if (change instanceof SegmentTransition transition) {
      return apply(transition);
    }
    if (change instanceof AudienceTransition transition) {
      return withAudiences(audiences.apply(transition));
    }
    if (change instanceof WakeUpScheduled wakeUp) {
      return new UserEngagement(
          userId, scores, metrics, recentEventIds, wakeUp.dueAt(), traits, audiences, watches);
    }
    if (change instanceof TraitsChanged changed) {
      return new UserEngagement(
          userId,
          scores,
          metrics,
          recentEventIds,
          scheduledWakeUp,
          traits.apply(changed),
          audiences.at(changed.at()),
          watches.after(changed));
    }
    if (change instanceof WatchesAligned aligned) {
      return withWatches(aligned.watches());
    }
    if (change instanceof DateReached reached) {
      return withWatches(watches.reached(reached));
    }
    if (change instanceof AudienceReevaluated reevaluated) {
      return withAudiences(audiences.apply(reevaluated));
    }
    if (change instanceof AudienceForgotten forgotten) {
      return withAudiences(audiences.apply(forgotten));
    }
    if (change instanceof ModelRescored rescored) {
      return withScore(rescored.score());
    }
    return withScore(scoreIn(((ModelForgotten) change).model()).forgotten());
  }

  UserEngagement apply(ScoredEvent scored) {
    Map<String, ModelScore> nextScores = scores;
    if (scored.awards().size() == 1) {
      ModelAward award = scored.awards().get(0);
      nextScores = withScoreIn(scores, scoreIn(award.model()).apply(award));
    } else if (!scored.awards().isEmpty()) {
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
        scheduledWakeUp,
        traits,
        audiences.withHits(scored.audienceHits(), scored.event().timestamp(), scored.recordedAt()),
        watches.withHits(scored.watchHits()));
  }

  UserEngagement apply(SegmentTransition transition) {
    return withScore(scoreIn(transition.model()).follow(transition));
  }

  private UserEngagement withScore(ModelScore score) {
    return new UserEngagement(
        userId,
        withScoreIn(scores, score),
        metrics,
        recentEventIds,
        scheduledWakeUp,
        traits,
        audiences,
        watches);
  }

  /**
   * {@code scores} with {@code score} in its model. Most users are scored in one model, and every
   * event replaces its score: that case takes one small map instead of a copied hash map and the
   * immutable copy the constructor makes of it.
   */
  private static Map<String, ModelScore> withScoreIn(
      Map<String, ModelScore> scores, ModelScore score) {
    if (scores.isEmpty() || scores.size() == 1 && scores.containsKey(score.model())) {
      return Map.of(score.model(), score);
    }
    Map<String, ModelScore> next = new HashMap<>(scores);
    next.put(score.model(), score);
    return next;
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
