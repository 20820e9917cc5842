package io.pulse.loadtest.cli;

import io.pulse.loadtest.ceiling.CeilingBenchmark;
import io.pulse.loadtest.ceiling.CeilingResult;
import io.pulse.loadtest.ceiling.CeilingSettings;
import io.pulse.loadtest.ceiling.CeilingSettings.Method;
import io.pulse.loadtest.report.ReportPrinter;
import io.pulse.loadtest.report.Reports;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Measures PostgreSQL's own write ceiling for journal-shaped rows. */
@Command(
    name = "ceiling",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Fills a scratch table shaped like Pekko Persistence JDBC's event_journal by binary COPY and"
          + " by batched INSERTs (each on a fresh table), reports rows/s, and drops the table."
    })
public final class CeilingCommand implements Callable<Integer> {
  @Mixin JdbcOptions jdbc;

  @Option(
      names = "--rows",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "rows per method")
  long rows;

  @Option(
      names = "--persistence-ids",
      paramLabel = "N",
      defaultValue = "100000",
      description = "distinct persistence ids (user|default|u-N); rows interleave over them")
  long persistenceIds;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "1000",
      description = "INSERT: rows per batch, each batch committed")
  int batchSize;

  @Option(
      names = "--insert-connections",
      paramLabel = "N",
      defaultValue = "4",
      description = "INSERT: connections writing in parallel")
  int insertConnections;

  @Option(
      names = "--copy-connections",
      paramLabel = "N",
      defaultValue = "1",
      description = "COPY: parallel COPY streams")
  int copyConnections;

  @Option(
      names = "--methods",
      paramLabel = "METHOD",
      split = ",",
      defaultValue = "copy,insert",
      description = "which methods: ${COMPLETION-CANDIDATES}")
  EnumSet<Method> methods;

  @Option(names = "--report", paramLabel = "FILE", description = "write the JSON result here")
  Path report;

  @Override
  public Integer call() throws Exception {
    CeilingSettings settings =
        new CeilingSettings(
            jdbc.jdbc(),
            rows,
            Math.min(persistenceIds, rows),
            batchSize,
            insertConnections,
            copyConnections,
            methods);
    CeilingResult result = new CeilingBenchmark(settings, System.out).measure();
    ReportPrinter.printCeiling(result, System.out);
    if (report != null) {
      Reports.write(report, result);
      System.out.println("report written to " + report);
    }
    return 0;
  }
}
