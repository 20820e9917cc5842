package io.pulse.loadtest.cli;

import io.pulse.loadtest.gen.EventMix;
import io.pulse.loadtest.gen.GeneratorBenchmark;
import io.pulse.loadtest.gen.UserSampler;
import io.pulse.loadtest.gen.UserSampler.Skew;
import io.pulse.loadtest.report.Reports;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** How many events per second the generator produces with no network in the way. */
@Command(
    name = "generator-bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    showDefaultValues = true,
    description = "Generates and serialises event batches flat out, without sending them.")
public final class GeneratorBenchCommand implements Callable<Integer> {
  @Option(
      names = "--seconds",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "measured seconds")
  double seconds;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description = "generator threads")
  int threads;

  @Option(
      names = "--events-per-request",
      paramLabel = "N",
      defaultValue = "50",
      description = "batch size")
  int eventsPerRequest;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "distinct users")
  long users;

  @Option(
      names = "--skew",
      paramLabel = "SKEW",
      defaultValue = "zipf",
      description = "${COMPLETION-CANDIDATES}")
  Skew skew;

  @Option(
      names = "--zipf-exponent",
      paramLabel = "S",
      defaultValue = "1.0",
      description = "Zipf exponent")
  double zipfExponent;

  @Option(
      names = "--duplicate-ratio",
      paramLabel = "FRACTION",
      defaultValue = "0",
      description = "duplicate fraction")
  double duplicateRatio;

  @Option(names = "--report", paramLabel = "FILE", description = "write the JSON result here")
  Path report;

  @Override
  public Integer call() throws Exception {
    GeneratorBenchmark.Result result =
        GeneratorBenchmark.run(
            threads,
            seconds,
            eventsPerRequest,
            EventMix.defaults(),
            UserSampler.of(skew, users, zipfExponent),
            duplicateRatio);
    System.out.printf(
        Locale.ROOT,
        "generator alone: %,.0f events/s (%,.0f per thread), %.1f MB/s, %.1f bytes/event,"
            + " batches of %d, %s over %,d users%n",
        result.eventsPerSecond(),
        result.eventsPerSecond() / threads,
        result.megabytesPerSecond(),
        result.bytesPerEvent(),
        eventsPerRequest,
        skew.name().toLowerCase(Locale.ROOT),
        users);
    if (report != null) {
      Reports.write(report, result);
    }
    return 0;
  }
}
