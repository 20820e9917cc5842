package io.pulse.engine.domain.audience;

import static io.pulse.engine.domain.audience.AudienceFixtures.T0;
import static io.pulse.engine.domain.audience.AudienceFixtures.USER;
import static io.pulse.engine.domain.audience.AudienceFixtures.cartAbandoned;
import static io.pulse.engine.domain.audience.AudienceFixtures.event;
import static io.pulse.engine.domain.audience.AudienceFixtures.gte;
import static io.pulse.engine.domain.audience.AudienceFixtures.user;
import static io.pulse.engine.domain.audience.AudienceFixtures.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.profile.TraitLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The next moments a user's standings remember, and the audiences an event therefore leaves unread,
 * change no answer: at every step of a long random life, deciding the user's audiences again from
 * nothing remembered changes no membership, and finds the same next moment.
 */
class RememberedMomentsTest {

  private static final ScoringModels MODELS = ScoringModels.of(ScoringModel.defaultEngagement());

  private static final List<Audience> AUDIENCES =
      List.of(
          Audience.of("browsers", "Browsers", window("page_view", Duration.ofSeconds(10), gte(2))),
          Audience.of("carts", "Carts left", cartAbandoned(Duration.ofSeconds(5))),
          Audience.of(
              "quiet",
              "Quiet",
              new AudienceCondition.Not(window("page_view", Duration.ofSeconds(8), gte(1)))),
          Audience.of(
              "promo",
              "Readers during the promotion",
              new AudienceCondition.All(
                  List.of(
                      window("email_open", Duration.ofSeconds(20), gte(1)),
                      // Ends within a millisecond: a moment not remembered, still kept to.
                      new AudienceCondition.During(
                          T0.plusSeconds(30), T0.plusSeconds(400).plusNanos(500_500))))),
          Audience.of(
              "clickers",
              "Clickers",
              new AudienceCondition.Any(
                  List.of(
                      window("email_click", Duration.ofSeconds(15), gte(1)),
                      window("push_click", Duration.ofSeconds(15), gte(1))))),
          Audience.of(
              "irish-browsers",
              "Irish browsers",
              new AudienceCondition.All(
                  List.of(
                      new AudienceCondition.InAudience("browsers"),
                      new AudienceCondition.TraitTest(
                          "country", AudienceCondition.TraitOperator.EQ, "IE", null)))),
          Audience.of(
              "warm",
              "Warm",
              new AudienceCondition.ScoreTest(
                  "engagement", null, new NumberTest(NumberTest.Comparison.GTE, 4))));

  private static final List<String> TYPES =
      List.of(
          "page_view",
          "page_view",
          "add_to_cart",
          "purchase",
          "email_open",
          "email_click",
          "push_click",
          "identify");

  @Test
  void aLongRandomLifeDecidedWithRememberedMomentsMatchesOneDecidedFromNothing() {
    Definitions definitions =
        new Definitions(MODELS, Audiences.of(AUDIENCES.toArray(Audience[]::new)));
    Random random = new Random(11);
    UserEngagement user = user();
    Instant now = T0;
    Instant known = null;
    int transitions = 0;
    int wakeUps = 0;

    for (int step = 0; step < 3_000; step++) {
      if (step == 1_500) {
        // The browsers' window widens: a new version, under new audiences.
        Audience widened =
            Audience.of("browsers", "Browsers", window("page_view", Duration.ofSeconds(12), gte(2)))
                .withVersion(2);
        definitions = new Definitions(MODELS, definitions.audiences().with(widened));
        known = null;
      }
      Optional<Instant> due = user.nextChange(definitions, now);
      Instant then = now.plusMillis(random.nextInt(4) == 0 ? 0 : random.nextInt(3_000));
      Recording recording;
      if (due.isPresent() && !due.get().isAfter(then) && random.nextBoolean()) {
        // when time alone reaches the next moment
        now = due.get();
        recording = user.wakeUp(definitions, now);
        wakeUps++;
      } else {
        // when an event arrives, now and then one dated a little earlier
        now = then;
        Instant at = random.nextInt(10) == 0 ? now.minusMillis(random.nextInt(12_000)) : now;
        recording =
            user.record(
                List.of(randomEvent(random, at)), definitions, now, TraitLimits.DEFAULTS, known);
      }
      user = recording.state();
      transitions +=
          (int) recording.changes().stream().filter(AudienceTransition.class::isInstance).count();
      Optional<Instant> next = user.nextChange(definitions, now);
      known = next.orElse(Instant.MAX);

      // then the user decided afresh, with nothing remembered, stands the same and wakes alike
      UserEngagement afresh = forgettingMoments(user);
      UserAudiences.Round again =
          afresh
              .audiences()
              .decide(
                  definitions.audiences(),
                  afresh.facts(definitions.models()),
                  user.audiences().asOf(),
                  TransitionCause.EVENT,
                  USER);
      assertEquals(List.of(), again.changes(), "step " + step + " at " + now);
      assertEquals(
          forgettingMoments(user).nextChange(definitions, now),
          next,
          "step " + step + " at " + now);
    }
    // and the life was one where memberships came and went, by events and by time
    assertTrue(transitions > 200, transitions + " transitions");
    assertTrue(wakeUps > 100, wakeUps + " wake-ups");
  }

  @Test
  void aStandingKeptUnderAnOlderDefinitionIsDecidedUnderTheNewOneAtTheNextEvent() {
    // given a user with two page views 11 seconds apart: one in a window of 10 seconds
    Audience tenSeconds =
        Audience.of("browsers", "Browsers", window("page_view", Duration.ofSeconds(10), gte(2)));
    Definitions before = new Definitions(MODELS, Audiences.of(tenSeconds));
    UserEngagement user = user();
    for (Instant at : List.of(T0, T0.plusSeconds(11))) {
      user = user.record(List.of(event("page_view", at)), before, at).state();
      user.nextChange(before, at);
    }
    assertEquals(List.of(), user.audiences().memberships());

    // when the window widens to 12 seconds, and an event the window does not count arrives
    Audience twelveSeconds =
        Audience.of("browsers", "Browsers", window("page_view", Duration.ofSeconds(12), gte(2)))
            .withVersion(2);
    Definitions after = new Definitions(MODELS, Audiences.of(twelveSeconds));
    Instant now = T0.plusMillis(11_500);
    Recording recording =
        user.record(List.of(event("email_open", now)), after, now, TraitLimits.DEFAULTS, null);

    // then the user is decided under the new window, though its standing was kept under the old
    assertEquals(List.of("browsers"), recording.state().audiences().memberships());
  }

  @Test
  void aMembershipDecidedByAClockBehindIsDecidedAgainAtTheNextEvent() {
    // given a launch that begins at F, which a wake-up due at F decided the user into
    Instant launch = T0.plusSeconds(10);
    Definitions definitions =
        new Definitions(
            MODELS,
            Audiences.of(
                Audience.of("launch", "Launch", new AudienceCondition.During(launch, null))));
    UserEngagement user = user().record(List.of(event("page_view", T0)), definitions, T0).state();
    user.nextChange(definitions, T0);
    user = user.wakeUp(definitions, launch).state();
    user.nextChange(definitions, launch);
    assertEquals(List.of("launch"), user.audiences().memberships());

    // when an event arrives on a node whose clock is 10 ms behind, which decides the user out
    Instant behind = launch.minusMillis(10);
    user =
        user.record(
                List.of(event("email_open", behind)),
                definitions,
                behind,
                TraitLimits.DEFAULTS,
                null)
            .state();
    assertEquals(List.of(), user.audiences().memberships());
    Optional<Instant> next = user.nextChange(definitions, behind);

    // then the next event, after the launch began, decides the user in again
    Instant later = launch.plusSeconds(1);
    UserEngagement after =
        user.record(
                List.of(event("email_open", later)),
                definitions,
                later,
                TraitLimits.DEFAULTS,
                next.orElse(Instant.MAX))
            .state();
    assertEquals(List.of("launch"), after.audiences().memberships());
  }

  @Test
  void aRememberedMomentHoldsFromWhenItWasWorkedOutUntilItComes() {
    Audiences audiences = Audiences.of(AUDIENCES.get(0));
    AudienceStandings standings =
        AudienceStandings.EMPTY.with("browsers", AudienceStanding.fresh("browsers", 1));

    remember(standings, 0, audiences, Optional.of(T0.plusSeconds(5)));

    long at = T0.plusSeconds(5).toEpochMilli();
    assertEquals(AudienceStandings.UNKNOWN, standings.nextMoment(0, audiences, T0.minusMillis(1)));
    assertEquals(at, standings.nextMoment(0, audiences, T0));
    assertEquals(at, standings.nextMoment(0, audiences, T0.plusSeconds(5).minusMillis(1)));
    assertEquals(AudienceStandings.UNKNOWN, standings.nextMoment(0, audiences, T0.plusSeconds(5)));
    // not under other audiences, even equal ones
    assertEquals(
        AudienceStandings.UNKNOWN,
        standings.nextMoment(0, Audiences.of(AUDIENCES.get(0)), T0.plusSeconds(1)));
  }

  @Test
  void aChangedStandingForgetsItsMomentAndTheOthersKeepTheirs() {
    Audiences audiences = Audiences.of(AUDIENCES.get(0), AUDIENCES.get(1));
    AudienceStandings standings =
        AudienceStandings.EMPTY
            .with("browsers", AudienceStanding.fresh("browsers", 1))
            .with("carts", AudienceStanding.fresh("carts", 1));
    remember(standings, 0, audiences, Optional.of(T0.plusSeconds(5)));
    remember(standings, 1, audiences, Optional.empty());

    AudienceStandings changed =
        standings.with("browsers", new AudienceStanding("browsers", 1, true, 1, List.of()));

    assertEquals(AudienceStandings.UNKNOWN, changed.nextMoment(0, audiences, T0));
    assertEquals(AudienceStandings.NEVER, changed.nextMoment(1, audiences, T0));
    // and the standings it was made from remember theirs still
    assertEquals(T0.plusSeconds(5).toEpochMilli(), standings.nextMoment(0, audiences, T0));
    // and remembering is no part of what the standings are
    assertEquals(
        AudienceStandings.EMPTY
            .with("browsers", standings.get("browsers"))
            .with("carts", standings.get("carts")),
        standings);
  }

  @Test
  void aMomentFinerThanAMillisecondIsNotRemembered() {
    Audiences audiences = Audiences.of(AUDIENCES.get(0));
    AudienceStandings standings =
        AudienceStandings.EMPTY.with("browsers", AudienceStanding.fresh("browsers", 1));

    remember(standings, 0, audiences, Optional.of(T0.plusSeconds(5).plusNanos(1)));
    assertEquals(AudienceStandings.UNKNOWN, standings.nextMoment(0, audiences, T0));

    remember(standings, 0, audiences, Optional.of(T0.plusSeconds(5)));
    assertEquals(T0.plusSeconds(5).toEpochMilli(), standings.nextMoment(0, audiences, T0));
  }

  private static void remember(
      AudienceStandings standings, int index, Audiences audiences, Optional<Instant> moment) {
    AudienceStandings.Remembering remembering = standings.remembering(audiences, T0);
    remembering.remember(index, moment);
    remembering.keep();
  }

  /** The same user, its standings copied into new ones that remember nothing. */
  private static UserEngagement forgettingMoments(UserEngagement user) {
    UserAudiences audiences = user.audiences();
    return new UserEngagement(
        user.userId(),
        user.scores(),
        user.metrics(),
        user.recentEventIds(),
        user.scheduledWakeUp(),
        user.traits(),
        new UserAudiences(audiences.asOf(), new HashMap<>(audiences.standings())),
        user.watches());
  }

  private static int sequence;

  private static BehaviouralEvent randomEvent(Random random, Instant at) {
    String type = TYPES.get(random.nextInt(TYPES.size()));
    Map<String, Object> traits = null;
    if (type.equals("identify")) {
      traits = new HashMap<>();
      traits.put("country", random.nextBoolean() ? "IE" : "FR");
    }
    return new BehaviouralEvent(
        "r-" + ++sequence,
        USER,
        type,
        type.startsWith("email") ? Channel.EMAIL : Channel.WEB,
        at,
        type.equals("purchase") ? Map.of("amount", 20) : Map.of(),
        traits);
  }
}
