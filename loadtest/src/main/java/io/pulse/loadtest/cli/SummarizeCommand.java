package io.pulse.loadtest.cli;

import io.pulse.loadtest.ceiling.CeilingResult;
import io.pulse.loadtest.report.BenchSummary;
import io.pulse.loadtest.report.LoadReport;
import io.pulse.loadtest.report.Reports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints load reports as a Markdown table, medians per configuration. */
@Command(
    name = "summarize",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Prints a Markdown summary (ceiling and one row per configuration) of reports.")
public final class SummarizeCommand implements Callable<Integer> {
  @Option(names = "--ceiling", paramLabel = "FILE", description = "ceiling report to compare with")
  Path ceiling;

  @Parameters(arity = "1..*", paramLabel = "REPORT", description = "load report files")
  List<Path> reports;

  @Override
  public Integer call() throws Exception {
    List<LoadReport> loaded = new ArrayList<>();
    for (Path file : reports) {
      loaded.add(Reports.readLoadReport(file));
    }
    CeilingResult reference = ceiling == null ? null : Reports.readCeiling(ceiling);
    System.out.print(BenchSummary.markdown(loaded, reference));
    return 0;
  }
}
