package io.pulse.engine.domain.audience;

import io.pulse.engine.domain.AudienceForgotten;
import io.pulse.engine.domain.AudienceReevaluated;
import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.CustomerMetrics;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.profile.Traits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One user's audiences: the standing in each, and {@code asOf}, the last moment they were decided
 * at. Pure: every method returns the changes to journal and a new instance.
 */
public record UserAudiences(Instant asOf, Map<String, AudienceStanding> standings) {

  public static final UserAudiences NONE = new UserAudiences(null, AudienceStandings.EMPTY);

  public UserAudiences {
    standings = standings == null ? AudienceStandings.EMPTY : AudienceStandings.copyOf(standings);
  }

  /** The standings as the constructor keeps them, which a change copies in part. */
  private AudienceStandings held() {
    return (AudienceStandings) standings;
  }

  /** The audiences the user is a member of, by id. */
  public List<String> memberships() {
    return new TreeMap<>(standings)
        .values().stream()
            .filter(AudienceStanding::member)
            .map(AudienceStanding::audience)
            .toList();
  }

  public boolean member(String audience) {
    AudienceStanding standing = standings.get(audience);
    return standing != null && standing.member();
  }

  public Optional<AudienceStanding> standing(String audience) {
    return Optional.ofNullable(standings.get(audience));
  }

  /** Whether the user's standing in {@code audience} reflects its current definition. */
  public boolean evaluatedUnder(Audience audience) {
    AudienceStanding standing = standings.get(audience.id());
    if (standing == null) {
      return audience.settledBy(asOf);
    }
    return standing.version() >= audience.version();
  }

  /**
   * What an event arriving at {@code now} does to the behaviour conditions of {@code audiences}. An
   * event already older than a window when it arrives is not counted in it.
   */
  public static List<AudienceHit> hits(BehaviouralEvent event, Audiences audiences, Instant now) {
    List<AudienceHit> hits = new ArrayList<>(0);
    for (AudienceMap.Behaviour behaviour : audiences.behaviours()) {
      Audience audience = behaviour.audience();
      AudienceCondition condition = behaviour.condition();
      if (condition instanceof AudienceCondition.EventWindow window) {
        if (window.event().matches(event)
            && event.timestamp().isAfter(now.minus(window.within()))) {
          hits.add(
              new AudienceHit(
                  audience.id(),
                  audience.version(),
                  window.slot(),
                  AudienceHit.Kind.WINDOW,
                  window.keeps()));
        }
      } else if (condition instanceof AudienceCondition.NotFollowedBy absence) {
        if (absence.first().matches(event)) {
          hits.add(
              new AudienceHit(
                  audience.id(), audience.version(), absence.slot(), AudienceHit.Kind.START, 0));
        } else if (absence.then().matches(event)) {
          hits.add(
              new AudienceHit(
                  audience.id(), audience.version(), absence.slot(), AudienceHit.Kind.FOLLOW, 0));
        }
      }
    }
    return hits;
  }

  /** With the hits of an event dated {@code eventAt}, decided at {@code decidedAt}. */
  public UserAudiences withHits(List<AudienceHit> hits, Instant eventAt, Instant decidedAt) {
    if (hits.isEmpty()) {
      return decidedAt == null ? this : at(decidedAt);
    }
    AudienceStandings next = held();
    for (AudienceHit hit : hits) {
      AudienceStanding held = next.get(hit.audience());
      if (held == null || held.version() < hit.version()) {
        held = AudienceStanding.fresh(hit.audience(), hit.version());
      }
      next = next.with(hit.audience(), held.with(hit, eventAt));
    }
    return new UserAudiences(later(asOf, decidedAt), next);
  }

  /** One round of decisions at one moment: the transitions it makes and the audiences after. */
  public record Round(UserAudiences audiences, List<EngagementChange> changes) {}

  /**
   * Decides every audience at {@code at}, in reference order; each changed membership is a
   * transition with {@code cause}, dated {@code at}. An audience that reads only its own behaviour
   * and the time, whose standing remembers a next moment that holds at {@code at} (still to come,
   * and worked out no later than {@code at}), is not read: an event that changed that behaviour
   * changed the standing, which forgets the moment.
   */
  public Round decide(
      Audiences audiences, UserFacts facts, Instant at, TransitionCause cause, String userId) {
    if (audiences.isEmpty()) {
      return new Round(this, new ArrayList<>(0));
    }
    // Copied only when a standing changes: most events change none.
    AudienceStandings next = held();
    List<EngagementChange> changes = new ArrayList<>(0);
    List<Audience> ordered = audiences.ordered();
    // An audience referred to is decided before the ones that refer to it; the others count as
    // not held yet.
    boolean[] decided = new boolean[ordered.size()];
    StandingFacts standingFacts =
        new StandingFacts(
            facts,
            id -> {
              int position = audiences.position(id);
              return position >= 0 && decided[position];
            });
    AudienceStandings before = held();
    for (int position = 0; position < ordered.size(); position++) {
      Audience audience = ordered.get(position);
      int index = before.indexOf(audience.id());
      if (index >= 0
          && audiences.timedByOwnBehaviour(position)
          && before.nextMoment(index, audiences, at) != AudienceStandings.UNKNOWN) {
        // Its standing is the one its next moment was worked out for, and that moment is still to
        // come: neither an event nor the time changed its membership, so it is not read at all.
        decided[position] = audiences.referred(position) && before.standingAt(index).member();
        continue;
      }
      AudienceStanding held = index < 0 ? null : before.standingAt(index);
      AudienceStanding standing =
          held == null ? AudienceStanding.fresh(audience.id(), audience.version()) : held;
      boolean member = audience.condition().test(standingFacts.of(standing), at);
      decided[position] = member;
      if (member != standing.member()) {
        AudienceTransition transition =
            new AudienceTransition(
                AudienceTransition.idFor(userId, audience.id(), standing.transitions() + 1),
                userId,
                audience.id(),
                standing.member() ? AudienceTransition.MEMBER : null,
                member ? AudienceTransition.MEMBER : null,
                at,
                cause,
                audience.version());
        changes.add(transition);
        standing = standing.follow(transition);
      }
      if (standing != held) {
        next = next.with(audience.id(), standing);
      }
    }
    return new Round(new UserAudiences(later(asOf, at), next), changes);
  }

  /**
   * The rounds time alone makes between {@code asOf} and {@code until}: at each moment a window or
   * a wait runs out, a date passes or decay crosses a threshold, the audiences are decided again,
   * and each changed membership is a transition dated at that moment.
   */
  public Round catchUp(Audiences audiences, UserFacts facts, Instant until, String userId) {
    UserAudiences state = this;
    List<EngagementChange> changes = new ArrayList<>(0);
    if (asOf == null || audiences.isEmpty()) {
      return new Round(state, changes);
    }
    Instant at = asOf;
    // Bounded: each round moves strictly forward, and a user's moments are finite.
    for (int rounds = 0; rounds < 10_000; rounds++) {
      Optional<Instant> next = state.nextChange(audiences, facts, at);
      if (next.isEmpty() || next.get().isAfter(until)) {
        break;
      }
      Round round = state.decide(audiences, facts, next.get(), TransitionCause.TIME, userId);
      changes.addAll(round.changes());
      state = round.audiences();
      at = next.get();
    }
    return new Round(state, changes);
  }

  /**
   * The first moment after {@code now} at which some membership may change with no event. The
   * moment of an audience that reads only its own behaviour and the time is remembered by the
   * standings, and read from them while it holds, rather than from the behaviour again.
   */
  public Optional<Instant> nextChange(Audiences audiences, UserFacts facts, Instant now) {
    long earliestRemembered = AudienceStandings.NEVER;
    Optional<Instant> next = Optional.empty();
    StandingFacts standingFacts = new StandingFacts(facts, this::member);
    AudienceStandings held = held();
    // Made for the first moment to remember: most searches, one per event, remember none.
    AudienceStandings.Remembering remembering = null;
    List<Audience> ordered = audiences.ordered();
    for (int position = 0; position < ordered.size(); position++) {
      Audience audience = ordered.get(position);
      int index = held.indexOf(audience.id());
      boolean remembers = index >= 0 && audiences.timedByOwnBehaviour(position);
      if (remembers) {
        long moment = held.nextMoment(index, audiences, now);
        if (moment != AudienceStandings.UNKNOWN) {
          earliestRemembered = Math.min(earliestRemembered, moment);
          continue;
        }
      }
      AudienceStanding standing =
          index < 0
              ? AudienceStanding.fresh(audience.id(), audience.version())
              : held.standingAt(index);
      Optional<Instant> candidate =
          audience.condition().nextChange(standingFacts.of(standing), now);
      // Remembered only for a membership that holds now, under this very definition: a standing
      // kept under an older one is decided anew at every event until the user's history rebuilds
      // it, and one decided at an earlier time (a clock behind the one that last decided the user)
      // at the next event.
      if (remembers
          && standing.version() >= audience.version()
          && audience.condition().test(standingFacts, now) == standing.member()) {
        if (remembering == null) {
          remembering = held.remembering(audiences, now);
        }
        remembering.remember(index, candidate);
      }
      if (candidate.isPresent() && (next.isEmpty() || candidate.get().isBefore(next.get()))) {
        next = candidate;
      }
    }
    if (remembering != null) {
      remembering.keep();
    }
    if (earliestRemembered != AudienceStandings.NEVER) {
      Instant remembered = Instant.ofEpochMilli(earliestRemembered);
      if (next.isEmpty() || remembered.isBefore(next.get())) {
        next = Optional.of(remembered);
      }
    }
    return next;
  }

  /**
   * The standing in {@code audience} rebuilt from the user's accepted {@code history} under its
   * current definition, decided at {@code now}: a change of membership is a transition caused by
   * the definition change.
   */
  public Round reevaluate(
      Audience audience,
      List<BehaviouralEvent> history,
      UserFacts facts,
      Instant now,
      String userId) {
    AudienceStanding held = standings.get(audience.id());
    AudienceStanding rebuilt =
        new AudienceStanding(
            audience.id(),
            audience.version(),
            held != null && held.member(),
            held == null ? 0 : held.transitions(),
            List.of());
    Audiences only = Audiences.of(audience);
    for (BehaviouralEvent event : history) {
      for (AudienceHit hit : hits(event, only, now)) {
        rebuilt = rebuilt.with(hit, event.timestamp());
      }
    }
    List<EngagementChange> changes = new ArrayList<>(2);
    AudienceReevaluated reevaluated = new AudienceReevaluated(rebuilt, now);
    changes.add(reevaluated);
    UserAudiences state = apply(reevaluated);
    boolean member =
        audience.condition().test(new StandingFacts(facts, state::member).of(rebuilt), now);
    if (member != rebuilt.member()) {
      AudienceTransition transition =
          new AudienceTransition(
              AudienceTransition.idFor(userId, audience.id(), rebuilt.transitions() + 1),
              userId,
              audience.id(),
              rebuilt.member() ? AudienceTransition.MEMBER : null,
              member ? AudienceTransition.MEMBER : null,
              now,
              TransitionCause.DEFINITION_CHANGE,
              audience.version());
      changes.add(transition);
      state = state.apply(transition);
    }
    return new Round(state, changes);
  }

  /** A deleted audience: a member leaves it, then its standing goes. */
  public Round forget(String audience, Instant now, String userId) {
    AudienceStanding held = standings.get(audience);
    if (held == null) {
      return new Round(this, List.of());
    }
    List<EngagementChange> changes = new ArrayList<>(2);
    UserAudiences state = this;
    if (held.member()) {
      AudienceTransition transition =
          new AudienceTransition(
              AudienceTransition.idFor(userId, audience, held.transitions() + 1),
              userId,
              audience,
              AudienceTransition.MEMBER,
              null,
              now,
              TransitionCause.DEFINITION_CHANGE,
              held.version());
      changes.add(transition);
      state = state.apply(transition);
    }
    AudienceForgotten forgotten = new AudienceForgotten(audience, now);
    changes.add(forgotten);
    return new Round(state.apply(forgotten), changes);
  }

  public UserAudiences apply(AudienceTransition transition) {
    AudienceStanding held = standings.get(transition.audience());
    if (held == null) {
      held = AudienceStanding.fresh(transition.audience(), transition.audienceVersion());
    }
    return new UserAudiences(
        later(asOf, transition.at()), held().with(transition.audience(), held.follow(transition)));
  }

  public UserAudiences apply(AudienceReevaluated reevaluated) {
    AudienceStanding standing = AudienceStanding.shared(reevaluated.standing());
    return new UserAudiences(
        later(asOf, reevaluated.at()), held().with(standing.audience(), standing));
  }

  public UserAudiences apply(AudienceForgotten forgotten) {
    return new UserAudiences(later(asOf, forgotten.at()), held().without(forgotten.audience()));
  }

  /** The same audiences, decided as of {@code at} if that is later. */
  public UserAudiences at(Instant at) {
    Instant later = later(asOf, at);
    return later == asOf ? this : new UserAudiences(later, standings);
  }

  private static Instant later(Instant held, Instant at) {
    if (at == null) {
      return held;
    }
    return held == null || at.isAfter(held) ? at : held;
  }

  /**
   * The facts of one user as each audience of a round reads them: the same user and memberships,
   * and the standing of the audience under evaluation. One per round, moved from audience to
   * audience, since a round runs on every event and most audiences remember no behaviour.
   */
  private static final class StandingFacts implements Facts {
    private final UserFacts facts;
    private final Predicate<String> member;
    private AudienceStanding standing;

    StandingFacts(UserFacts facts, Predicate<String> member) {
      this.facts = facts;
      this.member = member;
    }

    /** These facts, for the audience whose standing is {@code next}. */
    StandingFacts of(AudienceStanding next) {
      this.standing = next;
      return this;
    }

    @Override
    public Traits traits() {
      return facts.traits();
    }

    @Override
    public CustomerMetrics metrics() {
      return facts.metrics();
    }

    @Override
    public Optional<Double> score(String model, Instant at) {
      return facts.score(model, at);
    }

    @Override
    public Optional<String> band(String model, double score) {
      return facts.band(model, score);
    }

    @Override
    public List<Band> bands(String model) {
      return facts.bands(model);
    }

    @Override
    public Optional<Instant> scoreReaches(String model, double score, Instant at) {
      return facts.scoreReaches(model, score, at);
    }

    @Override
    public boolean member(String audience) {
      return member.test(audience);
    }

    @Override
    public Behaviour behaviour(int slot) {
      return standing.behaviour(slot);
    }
  }
}
