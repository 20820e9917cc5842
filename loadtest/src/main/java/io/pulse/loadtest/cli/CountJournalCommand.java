package io.pulse.loadtest.cli;

import io.pulse.loadtest.ceiling.JournalCounter;
import io.pulse.loadtest.report.LoadReport;
import io.pulse.loadtest.report.Reports;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Counts journal rows, optionally checking them against a load report's acknowledged count. */
@Command(
    name = "count-journal",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Prints the number of rows in the journal with the given event_ser_manifest (or all rows).",
      "With --report, also compares (rows - baseline) with the report's total.accepted, records"
          + " the result as journalCheck in that report, and prints the verdict on stderr."
    })
public final class CountJournalCommand implements Callable<Integer> {
  @Mixin JdbcOptions jdbc;

  @Option(
      names = "--table",
      paramLabel = "TABLE",
      defaultValue = "event_journal",
      description = "journal table")
  String table;

  @Option(
      names = "--manifest",
      paramLabel = "MANIFEST",
      defaultValue = "event-recorded",
      description = "event_ser_manifest to count, or 'all'")
  String manifest;

  @Option(
      names = "--baseline",
      paramLabel = "N",
      defaultValue = "0",
      description = "rows present before the run, subtracted before comparing")
  long baseline;

  @Option(names = "--report", paramLabel = "FILE", description = "load report to check and update")
  Path report;

  @Override
  public Integer call() throws Exception {
    long rows = JournalCounter.count(jdbc.jdbc(), table, manifest);
    System.out.println(rows);
    if (report != null) {
      LoadReport loaded = Reports.readLoadReport(report);
      LoadReport.JournalCheck check =
          LoadReport.JournalCheck.of(table, manifest, rows, baseline, loaded.total());
      Reports.write(report, loaded.withJournalCheck(check));
      System.err.printf(
          "journal check %s: %d rows (baseline %d), %d events acknowledged, %d of unknown"
              + " outcome%n",
          check.status(), rows, baseline, check.acknowledged(), check.unknownOutcomeEvents());
    }
    return 0;
  }
}
