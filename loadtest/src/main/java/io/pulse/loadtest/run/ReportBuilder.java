package io.pulse.loadtest.run;

import io.pulse.loadtest.ceiling.CeilingBenchmark;
import io.pulse.loadtest.gen.UserSampler.Skew;
import io.pulse.loadtest.report.LoadReport;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Turns counter snapshots and histograms into a {@link LoadReport}. */
final class ReportBuilder {
  private ReportBuilder() {}

  static LoadReport build(
      LoadSettings settings,
      Instant startedAt,
      CounterSnapshot measured,
      double measuredSeconds,
      CounterSnapshot whole,
      double wholeSeconds,
      Histogram latency,
      LoadReport.Acknowledgements acknowledgements,
      Histogram sendLag,
      List<LoadLoop> loops,
      Double cpuSeconds,
      String url,
      LoadReport.KeyRefusal keyRefusal) {
    boolean open = settings.openModel();
    LoadReport.Settings reportedSettings =
        new LoadReport.Settings(
            settings.users(),
            settings.skew().name().toLowerCase(Locale.ROOT),
            settings.skew() == Skew.ZIPF ? settings.zipfExponent() : null,
            settings.userPrefix(),
            settings.eventsPerRequest(),
            open ? settings.rate() : null,
            open ? settings.maxInFlight() : null,
            open ? null : settings.connections(),
            settings.durationSeconds(),
            settings.warmupSeconds(),
            settings.duplicateRatio(),
            settings.mix().weightsByName(),
            settings.threads(),
            settings.timeoutSeconds(),
            settings.keys().size());
    long connectionsOpened = 0;
    long unsentRequests = 0;
    long behindAtEndNanos = 0;
    for (LoadLoop loop : loops) {
      connectionsOpened += loop.connectionsOpened;
      unsentRequests += loop.unsentRequests;
      behindAtEndNanos = Math.max(behindAtEndNanos, loop.behindAtEndNanos);
    }
    LoadReport.Schedule schedule = null;
    if (open) {
      double requestsPerSecond = settings.rate() / settings.eventsPerRequest();
      schedule =
          new LoadReport.Schedule(
              settings.rate(),
              round(requestsPerSecond, 3),
              Math.round(requestsPerSecond * settings.durationSeconds()),
              microsToMillis(sendLag.getValueAtPercentile(50)),
              microsToMillis(sendLag.getValueAtPercentile(99)),
              microsToMillis(sendLag.getMaxValue()),
              round(behindAtEndNanos / 1e6, 3),
              unsentRequests,
              unsentRequests * settings.eventsPerRequest(),
              unsentRequests == 0);
    }
    LoadReport.Generator generator =
        new LoadReport.Generator(
            settings.threads(),
            connectionsOpened,
            cpuSeconds == null ? null : round(cpuSeconds, 3),
            cpuSeconds == null || measuredSeconds <= 0
                ? null
                : round(cpuSeconds / measuredSeconds, 3),
            CeilingBenchmark.systemLoadAverage());
    return new LoadReport(
        settings.label(),
        startedAt.toString(),
        Instant.now().toString(),
        url,
        settings.modelName(),
        reportedSettings,
        window(measured, measuredSeconds),
        window(whole, wholeSeconds),
        latency(latency),
        acknowledgements,
        schedule,
        generator,
        whole.errorSamples().isEmpty() ? null : whole.errorSamples(),
        null,
        null,
        null,
        null,
        keyRefusal);
  }

  static LoadReport.Window window(CounterSnapshot counts, double seconds) {
    double perSecond = seconds > 0 ? 1 / seconds : 0;
    return new LoadReport.Window(
        round(seconds, 3),
        counts.requests(),
        counts.events(),
        counts.okRequests(),
        counts.accepted(),
        counts.duplicates(),
        counts.duplicatesSent(),
        counts.rejected(),
        counts.throttledRequests(),
        counts.throttledEvents(),
        counts.failedRequests(),
        counts.failedEvents(),
        counts.requestsWithoutResponse(),
        counts.unknownOutcomeEvents(),
        counts.errorsByStatus(),
        counts.connectionErrors(),
        counts.rejectionReasons(),
        round(counts.accepted() * perSecond, 1),
        round(counts.events() * perSecond, 1),
        round(counts.requests() * perSecond, 1));
  }

  static LoadReport.Latency latency(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LoadReport.Latency(0, 0, 0, 0, 0, 0, 0);
    }
    return new LoadReport.Latency(
        micros.getTotalCount(),
        microsToMillis(micros.getValueAtPercentile(50)),
        microsToMillis(micros.getValueAtPercentile(90)),
        microsToMillis(micros.getValueAtPercentile(99)),
        microsToMillis(micros.getValueAtPercentile(99.9)),
        microsToMillis(micros.getMaxValue()),
        round(micros.getMean() / 1000.0, 3));
  }

  private static double microsToMillis(long micros) {
    return micros / 1000.0;
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
