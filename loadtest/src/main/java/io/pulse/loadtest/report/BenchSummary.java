package io.pulse.loadtest.report;

import io.pulse.loadtest.ceiling.CeilingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Renders a set of load reports as the Markdown table of {@code BENCHMARKS.md}: one row per
 * configuration (users, batch size, model), with medians when a configuration ran more than once.
 */
public final class BenchSummary {
  private BenchSummary() {}

  /**
   * @param ceiling the ceiling to compare with; when null, the first ceiling found in a report
   */
  public static String markdown(List<LoadReport> reports, CeilingResult ceiling) {
    CeilingResult reference = ceiling;
    for (int i = 0; reference == null && i < reports.size(); i++) {
      reference = reports.get(i).ceiling();
    }
    StringBuilder md = new StringBuilder();
    if (reference != null) {
      md.append(ceilingLines(reference)).append('\n');
    }
    Map<String, List<LoadReport>> groups = new LinkedHashMap<>();
    for (LoadReport report : reports) {
      groups.computeIfAbsent(groupKey(report), k -> new ArrayList<>()).add(report);
    }
    boolean repeated = groups.values().stream().anyMatch(runs -> runs.size() > 1);
    if (repeated) {
      md.append("Figures are medians over the runs of each row; events/s shows the range too.\n\n");
    }
    md.append(
        "| users | skew | events/request | model | runs | events/s | p50 ms | p99 ms | p99.9 ms"
            + " | max ms | failed requests | throttled requests | first 202 s"
            + " | longest gap without a 202, s (worst run) | ratio to COPY | ratio to INSERT"
            + " | journal check |\n");
    md.append(
        "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (List<LoadReport> runs : groups.values()) {
      md.append(row(runs, reference));
    }
    return md.toString();
  }

  static String ceilingLines(CeilingResult ceiling) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "Ceiling: %,d rows shaped like Pekko Persistence JDBC's `event_journal` (%,d"
                + " persistence ids, ~%.0f-byte payloads), on a scratch table:%n%n",
            ceiling.rows(),
            ceiling.persistenceIds(),
            ceiling.payloadBytesAverage()));
    if (ceiling.copy() != null) {
      text.append(
          String.format(
              Locale.ROOT,
              "- `COPY ... FROM STDIN` (binary, %d connection): **%,.0f rows/s**%n",
              ceiling.copy().connections(),
              ceiling.copy().rowsPerSecond()));
    }
    if (ceiling.insert() != null) {
      text.append(
          String.format(
              Locale.ROOT,
              "- batched `INSERT` (`reWriteBatchedInserts`, %d connections, %d rows per batch and"
                  + " commit): **%,.0f rows/s**%n",
              ceiling.insert().connections(),
              ceiling.insert().batchSize(),
              ceiling.insert().rowsPerSecond()));
    }
    if (ceiling.serverSettings() != null && !ceiling.serverSettings().isEmpty()) {
      StringBuilder settings = new StringBuilder();
      ceiling
          .serverSettings()
          .forEach(
              (name, value) ->
                  settings
                      .append(settings.length() == 0 ? "" : ", ")
                      .append(name)
                      .append('=')
                      .append(value));
      text.append("- server settings: ").append(settings).append('\n');
    }
    return text.toString();
  }

  private static String groupKey(LoadReport report) {
    LoadReport.Settings s = report.settings();
    return s.users() + "|" + skew(s) + "|" + s.eventsPerRequest() + "|" + model(report);
  }

  private static String row(List<LoadReport> runs, CeilingResult ceiling) {
    LoadReport first = runs.get(0);
    LoadReport.Settings s = first.settings();
    double eventsPerSecond = median(runs, r -> r.measured().eventsPerSecond());
    String rate = String.format(Locale.ROOT, "%,.0f", eventsPerSecond);
    if (runs.size() > 1) {
      double min = runs.stream().mapToDouble(r -> r.measured().eventsPerSecond()).min().orElse(0);
      double max = runs.stream().mapToDouble(r -> r.measured().eventsPerSecond()).max().orElse(0);
      rate += String.format(Locale.ROOT, " (%,.0f–%,.0f)", min, max);
    }
    return String.format(
        Locale.ROOT,
        "| %,d | %s | %d | %s | %d | %s | %.2f | %.2f | %.2f | %.2f | %,.0f | %,.0f | %s | %s | %s"
            + " | %s | %s |%n",
        s.users(),
        skew(s),
        s.eventsPerRequest(),
        model(first),
        runs.size(),
        rate,
        median(runs, r -> r.latencyMs().p50()),
        median(runs, r -> r.latencyMs().p99()),
        median(runs, r -> r.latencyMs().p999()),
        median(runs, r -> r.latencyMs().max()),
        median(runs, r -> r.measured().failedRequests()),
        median(runs, r -> r.measured().throttledRequests()),
        firstAcknowledgement(runs),
        longestGap(runs),
        ratio(
            eventsPerSecond,
            ceiling == null || ceiling.copy() == null ? 0 : ceiling.copy().rowsPerSecond()),
        ratio(
            eventsPerSecond,
            ceiling == null || ceiling.insert() == null ? 0 : ceiling.insert().rowsPerSecond()),
        journalCheck(runs));
  }

  /** The median time to the first 2xx; "none" when a run got none, "n/a" for older reports. */
  private static String firstAcknowledgement(List<LoadReport> runs) {
    if (runs.stream().anyMatch(r -> r.acknowledgements() == null)) {
      return "n/a";
    }
    if (runs.stream().anyMatch(r -> r.acknowledgements().firstMs() == null)) {
      return "none";
    }
    return String.format(
        Locale.ROOT, "%.2f", median(runs, r -> r.acknowledgements().firstMs()) / 1000);
  }

  /**
   * The longest stretch without a 2xx in the worst run: a stall in one run is not averaged away.
   */
  private static String longestGap(List<LoadReport> runs) {
    if (runs.stream().anyMatch(r -> r.acknowledgements() == null)) {
      return "n/a";
    }
    double worst =
        runs.stream().mapToDouble(r -> r.acknowledgements().longestGapMs()).max().orElse(0);
    return String.format(Locale.ROOT, "%.2f", worst / 1000);
  }

  private static String skew(LoadReport.Settings s) {
    return s.zipfExponent() == null ? s.skew() : s.skew() + " " + s.zipfExponent();
  }

  private static String model(LoadReport report) {
    LoadReport.Settings s = report.settings();
    if (s.targetEventsPerSecond() == null) {
      return "closed, " + s.connections() + " conn";
    }
    return String.format(Locale.ROOT, "open, %,.0f ev/s", s.targetEventsPerSecond());
  }

  private static String journalCheck(List<LoadReport> runs) {
    long checked = runs.stream().filter(r -> r.journalCheck() != null).count();
    if (checked == 0) {
      return "not checked";
    }
    long failed =
        runs.stream().filter(r -> r.journalCheck() != null && !r.journalCheck().ok()).count();
    if (failed > 0) {
      return "FAIL (" + failed + "/" + checked + ")";
    }
    return checked == runs.size() ? "OK" : "OK (" + checked + "/" + runs.size() + " checked)";
  }

  private static String ratio(double achieved, double ceiling) {
    return ceiling > 0 ? String.format(Locale.ROOT, "%.3f", achieved / ceiling) : "n/a";
  }

  static double median(List<LoadReport> runs, ToDoubleFunction<LoadReport> metric) {
    double[] values = runs.stream().mapToDouble(metric).toArray();
    Arrays.sort(values);
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }
}
