package io.pulse.loadtest.run;

import io.pulse.loadtest.report.LoadReport;

/**
 * When 2xx answers came over the whole run, warm-up included: the time to the first, and the
 * longest stretch without any. A node that stalls (every user first seen at once, say) shows here
 * even when the run's averages look fine. Written by the I/O threads, a few hundred times a second
 * at most, so a lock costs nothing that matters.
 */
final class AcknowledgementGaps {

  private final long startNanos;
  private long firstNanos = -1;
  private long lastNanos;
  private long longestGapNanos;
  private long longestGapFromNanos;

  AcknowledgementGaps(long startNanos) {
    this.startNanos = startNanos;
    this.lastNanos = startNanos;
  }

  /** A 2xx answer arrived at {@code nanos} ({@link System#nanoTime()}). */
  synchronized void acknowledged(long nanos) {
    if (firstNanos < 0) {
      firstNanos = nanos;
    }
    if (nanos > lastNanos) {
      if (nanos - lastNanos > longestGapNanos) {
        longestGapNanos = nanos - lastNanos;
        longestGapFromNanos = lastNanos;
      }
      lastNanos = nanos;
    }
  }

  /**
   * The figures of the run from its start to {@code endNanos}, where sending stopped: a stretch
   * without answers that lasts to the end counts too.
   */
  synchronized LoadReport.Acknowledgements until(long endNanos) {
    long gap = longestGapNanos;
    long from = longestGapFromNanos;
    if (endNanos - lastNanos > gap) {
      gap = endNanos - lastNanos;
      from = lastNanos;
    }
    return new LoadReport.Acknowledgements(
        firstNanos < 0 ? null : millis(firstNanos - startNanos),
        millis(gap),
        millis(from - startNanos));
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }
}
