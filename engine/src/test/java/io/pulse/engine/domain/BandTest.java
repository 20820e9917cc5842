package io.pulse.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BandTest {

  private static final ScoringModel DEFAULT = ScoringModel.defaultEngagement();

  @ParameterizedTest(name = "score {0} is {1}")
  @CsvSource({
    "1.0, low",
    "3.999999, low",
    "4.0, medium",
    "6.999999, medium",
    "7.0, high",
    "9.999999, high",
    "10.0, high"
  })
  void bandsAreHalfOpenAndTheLastIncludesItsEnd(double score, String band) {
    assertEquals(band, DEFAULT.bandFor(score));
  }

  @Test
  void theLargestScoreBelowABoundaryBelongsToTheLowerBand() {
    assertEquals("low", DEFAULT.bandFor(Math.nextDown(4.0)));
    assertEquals("medium", DEFAULT.bandFor(Math.nextDown(7.0)));
    assertEquals("high", DEFAULT.bandFor(Math.nextDown(10.0)));
  }

  @Test
  void scoresOutsideTheScaleFallIntoTheNearestEndBand() {
    assertEquals("low", DEFAULT.bandFor(0.5));
    assertEquals("low", DEFAULT.bandFor(-3));
    assertEquals("high", DEFAULT.bandFor(10.5));
  }

  @Test
  void aSingleBandHoldsTheWholeScale() {
    // given
    ScoringModel model = TestEvents.modelWithBands(List.of(new Band("all", 1, 10)));

    // then
    assertEquals("all", model.bandFor(1));
    assertEquals("all", model.bandFor(5.5));
    assertEquals("all", model.bandFor(10));
  }

  @Test
  void unevenBandsFollowTheirOwnBoundaries() {
    // given
    ScoringModel model =
        TestEvents.modelWithBands(
            List.of(
                new Band("cold", 1, 2.5),
                new Band("lukewarm", 2.5, 3),
                new Band("warm", 3, 9),
                new Band("hot", 9, 10)));

    // then
    assertEquals("cold", model.bandFor(2.4999));
    assertEquals("lukewarm", model.bandFor(2.5));
    assertEquals("warm", model.bandFor(3));
    assertEquals("warm", model.bandFor(8.99));
    assertEquals("hot", model.bandFor(9));
    assertEquals("hot", model.bandFor(10));
    assertEquals(List.of(), model.problems(InputLimits.DEFAULTS));
  }

  @Test
  void theBandOfAScoreComputedFromPointsCrossesAtTheExpectedPoints() {
    // score 4 is reached at 50 ln 1.5 points, score 7 at 50 ln 3 points
    double toMedium = 50 * Math.log(1.5);
    double toHigh = 50 * Math.log(3);
    assertEquals("low", DEFAULT.bandFor(DEFAULT.scoreFor(toMedium - 1e-6)));
    assertEquals("medium", DEFAULT.bandFor(DEFAULT.scoreFor(toMedium + 1e-6)));
    assertEquals("medium", DEFAULT.bandFor(DEFAULT.scoreFor(toHigh - 1e-6)));
    assertEquals("high", DEFAULT.bandFor(DEFAULT.scoreFor(toHigh + 1e-6)));
  }
}
