package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** "Time spent in the app as a scoring criterion": points in proportion to a property. */
class PointsPerTest {

  private static final PointsPer HALF_A_POINT_A_MINUTE = new PointsPer("properties.minutes", 0.5);

  private static ScoringRule minutes(Double maxPoints, Integer dailyCap) {
    return ScoringRule.proportional(
        "app_session", null, HALF_A_POINT_A_MINUTE, maxPoints, List.of(), dailyCap);
  }

  private static double pointsAfter(ScoringRule rule, List<BehaviouralEvent> events) {
    ScoringModels models = ScoringModels.of(model("time", null, rule));
    return newUser().record(events, models).state().scoreIn("time").points();
  }

  private static BehaviouralEvent session(Object minutes, int secondsAfterT0) {
    return event(
        "app_session", Channel.APP, T0.plusSeconds(secondsAfterT0), Map.of("minutes", minutes));
  }

  @Test
  void eachUnitOfThePropertyEarnsItsPoints() {
    assertEquals(6.0, minutes(null, null).pointsFor(session(12, 0)));
    assertEquals(1.25, minutes(null, null).pointsFor(session(2.5, 0)));
    assertEquals(
        6.0 + 1.25, pointsAfter(minutes(null, null), List.of(session(12, 0), session(2.5, 1))));
  }

  @Test
  void maxPointsBoundsOneEventInEitherDirection() {
    assertEquals(10.0, minutes(10.0, null).pointsFor(session(600, 0)));
    assertEquals(-10.0, minutes(10.0, null).pointsFor(session(-600, 0)));
    assertEquals(4.0, minutes(10.0, null).pointsFor(session(8, 0)));
  }

  @Test
  void withoutMaxPointsAnEventIsBoundedByTheHighestRuleBound() {
    assertEquals(
        ScoringRule.PROPORTIONAL_CEILING, minutes(null, null).pointsFor(session(1e300, 0)));
  }

  @Test
  void anEventWithoutANumberThereEarnsNothingAndDoesNotUseTheDailyCap() {
    ScoringRule capped = minutes(null, 1);
    assertTrue(Double.isNaN(capped.pointsFor(session("twelve", 0))));
    assertTrue(
        Double.isNaN(
            capped.pointsFor(event("app_session", Channel.APP, T0, Map.of("seconds", 60)))));
    assertTrue(Double.isNaN(capped.pointsFor(session(true, 0))));
    // the first session without minutes leaves the day's one counted session to the next
    assertEquals(5.0, pointsAfter(capped, List.of(session("n/a", 0), session(10, 1))));
  }

  @Test
  void dailyCapsStillApply() {
    assertEquals(
        5.0 + 2.0,
        pointsAfter(minutes(null, 2), List.of(session(10, 0), session(4, 1), session(30, 2))));
  }

  @Test
  void otherEventTypesAreNotScored() {
    assertTrue(
        Double.isNaN(
            minutes(null, null)
                .pointsFor(event("page_view", Channel.WEB, T0, Map.of("minutes", 5)))));
  }

  @Test
  void badProportionalRulesAreRefusedNamingTheField() {
    InputLimits limits = InputLimits.DEFAULTS;
    assertEquals(
        List.of(
            "r.pointsPer.property must be a path into the event's properties, such as"
                + " properties.minutes"),
        ScoringRule.proportional("s", null, new PointsPer("minutes", 1), null, List.of(), null)
            .problems("r", limits));
    assertEquals(
        List.of("r.pointsPer.points must be a number from -1000000 to 1000000"),
        ScoringRule.proportional(
                "s", null, new PointsPer("properties.m", 2e6), null, List.of(), null)
            .problems("r", limits));
    assertEquals(
        List.of("r.maxPoints must be above 0 and at most 1000000"),
        ScoringRule.proportional("s", null, HALF_A_POINT_A_MINUTE, 0.0, List.of(), null)
            .problems("r", limits));
    assertEquals(
        List.of("r.maxPoints applies only to pointsPer"),
        new ScoringRule("s", null, 1, List.of(), null, null, 5.0).problems("r", limits));
  }
}
