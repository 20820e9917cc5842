package io.pulse.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pulse.loadtest.report.LoadReport;
import org.junit.jupiter.api.Test;

class AcknowledgementGapsTest {

  private static final long START = 5_000_000_000L;
  private static final long MS = 1_000_000;

  @Test
  void theLongestGapIsFoundWhereverItFalls() {
    AcknowledgementGaps gaps = new AcknowledgementGaps(START);
    gaps.acknowledged(START + 300 * MS);
    gaps.acknowledged(START + 400 * MS);
    gaps.acknowledged(START + 2_400 * MS);
    // answers from several I/O threads may be recorded out of order
    gaps.acknowledged(START + 2_350 * MS);
    gaps.acknowledged(START + 2_600 * MS);

    LoadReport.Acknowledgements figures = gaps.until(START + 3_000 * MS);
    assertEquals(300.0, figures.firstMs());
    assertEquals(2_000.0, figures.longestGapMs());
    assertEquals(400.0, figures.longestGapFromMs());
  }

  @Test
  void aStallThatLastsToTheEndCounts() {
    AcknowledgementGaps gaps = new AcknowledgementGaps(START);
    gaps.acknowledged(START + 100 * MS);
    LoadReport.Acknowledgements figures = gaps.until(START + 10_100 * MS);
    assertEquals(10_000.0, figures.longestGapMs());
    assertEquals(100.0, figures.longestGapFromMs());
  }

  @Test
  void noAnswerAtAllIsOneGapOverTheWholeRun() {
    LoadReport.Acknowledgements figures = new AcknowledgementGaps(START).until(START + 60_000 * MS);
    assertNull(figures.firstMs());
    assertEquals(60_000.0, figures.longestGapMs());
    assertEquals(0.0, figures.longestGapFromMs());
  }
}
