package io.pulse.loadtest;

import io.pulse.loadtest.ceiling.CeilingBenchmark;
import io.pulse.loadtest.ceiling.CeilingResult;
import io.pulse.loadtest.ceiling.CeilingSettings;
import io.pulse.loadtest.report.LoadReport;
import io.pulse.loadtest.run.LoadRunner;
import io.pulse.loadtest.run.LoadSettings;
import java.io.PrintStream;
import java.sql.SQLException;

/**
 * Library entry points: a load run, a database ceiling, or both in one call so the achieved rate
 * comes out as a fraction of what PostgreSQL itself can take.
 */
public final class PulseLoadTest {
  private PulseLoadTest() {}

  public static LoadReport load(LoadSettings settings, PrintStream progress)
      throws InterruptedException {
    return new LoadRunner(settings, progress).run();
  }

  public static CeilingResult ceiling(CeilingSettings settings, PrintStream log)
      throws SQLException {
    return new CeilingBenchmark(settings, log).measure();
  }

  /**
   * Measures the ceiling first (so the two never compete for the database), then runs the load, and
   * returns the load report with the ceiling and the ratios to it.
   */
  public static LoadReport loadAgainstCeiling(
      LoadSettings load, CeilingSettings ceiling, PrintStream progress)
      throws SQLException, InterruptedException {
    CeilingResult measured = ceiling(ceiling, progress);
    return load(load, progress).withCeiling(measured);
  }
}
