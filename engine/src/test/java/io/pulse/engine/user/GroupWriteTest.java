package io.pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.Scale;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.ScoringRule;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.AudienceCondition;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.audience.Metric;
import io.pulse.engine.domain.audience.NumberTest;
import io.pulse.engine.domain.profile.TraitLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One write of a user's coalesced parts, and what it passes on to the next write. */
class GroupWriteTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final String USER = "ann";
  private static final List<String> TYPES =
      List.of("page_view", "page_view", "add_to_cart", "purchase", "email_open", "email_click");

  /** A model whose score halves every minute, so that time alone moves users between bands. */
  private static final ScoringModel FAST =
      new ScoringModel(
          "fast",
          "Fast",
          1,
          List.of(
              ScoringRule.of("page_view", null, 2),
              ScoringRule.of("email_open", Channel.EMAIL, 3),
              ScoringRule.of("email_click", Channel.EMAIL, 5),
              ScoringRule.of("add_to_cart", null, 4),
              ScoringRule.of("purchase", null, 10)),
          60.0 / 86_400,
          Scale.DEFAULT,
          List.of(new Band("low", 1, 4), new Band("medium", 4, 7), new Band("high", 7, 10)),
          ScoringModel.DEFAULT_SATURATION_POINTS);

  private static final Definitions DEFINITIONS =
      new Definitions(
          ScoringModels.of(FAST),
          Audiences.of(
              Audience.of(
                  "browsers",
                  "Browsers",
                  new AudienceCondition.EventWindow(
                      type("page_view"), Duration.ofSeconds(20), gte(2), -1)),
              Audience.of(
                  "cart-abandoners",
                  "Cart abandoners",
                  new AudienceCondition.NotFollowedBy(
                      type("add_to_cart"), type("purchase"), Duration.ofSeconds(10), -1)),
              Audience.of("hot", "Hot", new AudienceCondition.ScoreTest("fast", "high", null)),
              Audience.of("warm", "Warm", new AudienceCondition.ScoreTest("fast", null, gte(4))),
              Audience.of(
                  "buyers", "Buyers", new AudienceCondition.MetricTest(Metric.ORDERS, gte(1)))));

  @Test
  void aWriteThatStartsFromWhatTheLastWriteFoundDecidesAsOneThatSearchesAgain() {
    // given one user written twice over: passing on each write's next change, and not
    Random random = new Random(20261207);
    UserEngagement passing = UserEngagement.empty(USER, 1000);
    UserEngagement searching = passing;
    Instant known = null;
    Instant now = T0;
    int passedOn = 0;
    int onTheMoment = 0;
    int timeTransitions = 0;
    int timeTransitionsOnTheMoment = 0;
    long sequence = 0;

    for (int write = 0; write < 3_000; write++) {
      // now moves by milliseconds, seconds, or past every window; sometimes exactly to the moment
      // the last write found
      int step = random.nextInt(10);
      if (step == 0 && known != null && known.isAfter(now) && !known.equals(Instant.MAX)) {
        now = known;
        onTheMoment++;
      } else {
        now =
            now.plusMillis(
                step < 5 ? random.nextInt(500) : step < 9 ? random.nextInt(8_000) : 40_000);
      }
      List<UserEntity.Part> parts = new ArrayList<>();
      for (int part = random.nextInt(3); part >= 0; part--) {
        List<BehaviouralEvent> events = new ArrayList<>();
        for (int event = random.nextInt(3); event >= 0; event--) {
          // some events arrive late, and some are retries of the one before
          Instant at = random.nextInt(6) == 0 ? now.minusSeconds(random.nextInt(30)) : now;
          String id = random.nextInt(10) == 0 && sequence > 0 ? "e-" + sequence : "e-" + ++sequence;
          events.add(
              new BehaviouralEvent(
                  id, USER, TYPES.get(random.nextInt(TYPES.size())), Channel.EMAIL, at, Map.of()));
        }
        parts.add(new UserEntity.Part(write * 10L + part, events));
      }
      if (known != null && known.isAfter(now)) {
        passedOn++;
      }

      // when each is written
      GroupWrite fromKnown =
          GroupWrite.of(passing, parts, DEFINITIONS, TraitLimits.DEFAULTS, now, 0, known);
      GroupWrite fromSearch =
          GroupWrite.of(searching, parts, DEFINITIONS, TraitLimits.DEFAULTS, now, 0, null);

      // then both journal the same changes and reach the same user
      assertEquals(fromSearch.changes(), fromKnown.changes(), "write " + write + " at " + now);
      assertEquals(fromSearch.state(), fromKnown.state(), "write " + write + " at " + now);
      assertEquals(fromSearch.nextChange(), fromKnown.nextChange());
      assertEquals(
          fromSearch.state().nextChange(DEFINITIONS, now).orElse(Instant.MAX),
          fromKnown.nextChange(),
          "the moment passed on is the next change of the state written");
      for (AudienceTransition transition : timeTransitions(fromKnown)) {
        timeTransitions++;
        if (transition.at().equals(known)) {
          timeTransitionsOnTheMoment++;
        }
      }
      passing = fromKnown.state();
      searching = fromSearch.state();
      known = fromKnown.nextChange();
    }

    // and the sequence went through every case: moments passed on, reached, and passed by
    assertTrue(passedOn > 500, "writes that started from a moment still ahead: " + passedOn);
    assertTrue(onTheMoment > 50, "writes exactly at the moment passed on: " + onTheMoment);
    assertTrue(timeTransitions > 100, "transitions made by time alone: " + timeTransitions);
    assertTrue(
        timeTransitionsOnTheMoment > 10,
        "transitions made by time alone at the very moment passed on: "
            + timeTransitionsOnTheMoment);
  }

  private static List<AudienceTransition> timeTransitions(GroupWrite write) {
    return write.changes().stream()
        .filter(AudienceTransition.class::isInstance)
        .map(AudienceTransition.class::cast)
        .filter(transition -> transition.cause() == TransitionCause.TIME)
        .toList();
  }

  private static EventMatch type(String type) {
    return new EventMatch(type, List.of());
  }

  private static NumberTest gte(double threshold) {
    return new NumberTest(NumberTest.Comparison.GTE, threshold);
  }
}
