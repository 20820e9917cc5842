package io.pulse.loadtest.report;

import io.pulse.loadtest.ceiling.CeilingResult;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** Prints reports for a human reading a terminal. */
public final class ReportPrinter {
  private ReportPrinter() {}

  public static void print(LoadReport report, PrintStream out) {
    LoadReport.Settings s = report.settings();
    LoadReport.Window m = report.measured();
    LoadReport.Window t = report.total();
    LoadReport.Latency l = report.latencyMs();
    String title = report.label() == null || report.label().isEmpty() ? "" : " " + report.label();
    out.println();
    out.printf(
        Locale.ROOT,
        "== Pulse load test%s: %s model%s ==%n",
        title,
        report.model(),
        s.targetEventsPerSecond() == null
            ? ", " + s.connections() + " connections"
            : String.format(
                Locale.ROOT,
                ", target %,.0f events/s, at most %d in flight",
                s.targetEventsPerSecond(),
                s.maxInFlight()));
    out.printf(
        Locale.ROOT,
        "url %s%s, %,d users (%s), %d events/request, %.1f s measured after %.1f s warm-up%n",
        report.url(),
        s.keys() == 0
            ? " without a key"
            : s.keys() == 1 ? " with 1 key" : " with " + s.keys() + " keys",
        s.users(),
        s.zipfExponent() == null ? s.skew() : s.skew() + " s=" + s.zipfExponent(),
        s.eventsPerRequest(),
        s.durationSeconds(),
        s.warmupSeconds());
    out.printf(Locale.ROOT, "measured window %.2f s%n", m.seconds());
    printWindow(m, out);
    out.printf(
        Locale.ROOT,
        "  latency     p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f ms"
            + "  (%,d acknowledgements)%n",
        l.p50(),
        l.p90(),
        l.p99(),
        l.p999(),
        l.max(),
        l.mean(),
        l.count());
    LoadReport.Acknowledgements acknowledgements = report.acknowledgements();
    if (acknowledgements != null) {
      out.printf(
          Locale.ROOT,
          "  2xx answers first after %s; longest gap without one %.3f s, from %.3f s"
              + " (warm-up included)%n",
          acknowledgements.firstMs() == null
              ? "none came"
              : String.format(Locale.ROOT, "%.3f s", acknowledgements.firstMs() / 1000),
          acknowledgements.longestGapMs() / 1000,
          acknowledgements.longestGapFromMs() / 1000);
    }
    LoadReport.Schedule schedule = report.schedule();
    if (schedule != null) {
      out.printf(
          Locale.ROOT,
          "  schedule    send lag p50 %.3f  p99 %.3f  max %.3f ms; behind at end %.1f ms,"
              + " %,d requests (%,d events) never sent: %s%n",
          schedule.sendLagP50Ms(),
          schedule.sendLagP99Ms(),
          schedule.sendLagMaxMs(),
          schedule.behindAtEndMs(),
          schedule.unsentRequests(),
          schedule.unsentEvents(),
          schedule.keptUp() ? "kept up" : "FELL BEHIND");
    }
    out.printf(Locale.ROOT, "whole run %.2f s (warm-up and drain included)%n", t.seconds());
    printWindow(t, out);
    LoadReport.Generator g = report.generator();
    out.printf(
        Locale.ROOT,
        "generator   %d I/O thread(s), %,d connections opened%s%s%n",
        g.threads(),
        g.connectionsOpened(),
        g.cpuCoresUsed() == null
            ? ""
            : String.format(Locale.ROOT, ", %.2f CPU cores while measuring", g.cpuCoresUsed()),
        g.systemLoadAverage() == null
            ? ""
            : String.format(Locale.ROOT, "; machine load average %.2f", g.systemLoadAverage()));
    if (report.errorSamples() != null) {
      report.errorSamples().forEach((status, text) -> out.printf("error %s: %s%n", status, text));
    }
    if (report.keyRefusal() != null) {
      out.println("STOPPED EARLY: " + keyRefusalText(report.keyRefusal()));
    }
    if (report.ceiling() != null) {
      printCeiling(report.ceiling(), out);
      out.printf(
          Locale.ROOT,
          "achieved %,.0f events/s = %s of COPY, %s of batched INSERT%n",
          m.eventsPerSecond(),
          ratio(report.ratioToCopyCeiling()),
          ratio(report.ratioToInsertCeiling()));
    }
  }

  public static void printCeiling(CeilingResult ceiling, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "ceiling: %,d journal rows over %,d persistence ids, payload ~%.0f bytes, on %s%n",
        ceiling.rows(),
        ceiling.persistenceIds(),
        ceiling.payloadBytesAverage(),
        ceiling.serverVersion());
    if (ceiling.copy() != null) {
      out.printf(
          Locale.ROOT,
          "  COPY (binary, %d connection(s))            %,12.0f rows/s  (%.2f s, load average %s)%n",
          ceiling.copy().connections(),
          ceiling.copy().rowsPerSecond(),
          ceiling.copy().seconds(),
          ceiling.copy().systemLoadAverage());
    }
    if (ceiling.insert() != null) {
      out.printf(
          Locale.ROOT,
          "  batched INSERT (%d connections, batch %d)  %,12.0f rows/s  (%.2f s, load average %s)%n",
          ceiling.insert().connections(),
          ceiling.insert().batchSize(),
          ceiling.insert().rowsPerSecond(),
          ceiling.insert().seconds(),
          ceiling.insert().systemLoadAverage());
    }
    if (ceiling.serverSettings() != null && !ceiling.serverSettings().isEmpty()) {
      out.println("  server settings " + ceiling.serverSettings());
    }
  }

  private static void printWindow(LoadReport.Window w, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "  sent        %,d events in %,d requests (%,.0f events/s, %,.1f requests/s)%n",
        w.events(),
        w.requests(),
        w.sentEventsPerSecond(),
        w.requestsPerSecond());
    out.printf(
        Locale.ROOT,
        "  accepted    %,d (%,.0f events/s); duplicates %,d (%,d re-sent); rejected %,d%n",
        w.accepted(),
        w.eventsPerSecond(),
        w.duplicates(),
        w.duplicatesSent(),
        w.rejected());
    out.printf(
        Locale.ROOT,
        "  throttled   %,d requests (%,d events) answered 429: a key over its rate limit%n",
        w.throttledRequests(),
        w.throttledEvents());
    out.printf(
        Locale.ROOT,
        "  failed      %,d requests (%,d events): HTTP errors %s; without response %,d;"
            + " connection errors %s%n",
        w.failedRequests(),
        w.failedEvents(),
        counts(w.errorsByStatus()),
        w.requestsWithoutResponse(),
        counts(w.connectionErrors()));
    if (!w.rejectionReasons().isEmpty()) {
      out.println("  rejections  " + counts(w.rejectionReasons()));
    }
  }

  /** What to tell the operator when the server refused a key, and what to do about it. */
  public static String keyRefusalText(LoadReport.KeyRefusal refusal) {
    String answer = refusal.status() + " (" + refusal.detail() + ")";
    if (refusal.key() == null) {
      return "the server answered "
          + answer
          + ": it needs an API key; pass one with --key, the PULSE_KEY environment variable,"
          + " --keys or --key-file";
    }
    if (refusal.status() == 401) {
      return "the server refused "
          + refusal.key()
          + " with "
          + answer
          + ": the key is unknown or revoked";
    }
    return "the server refused "
        + refusal.key()
        + " with "
        + answer
        + ": a key needs the scope events:write to send events";
  }

  private static String counts(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    counts.forEach(
        (key, count) ->
            text.append(text.length() == 0 ? "" : ", ")
                .append(key)
                .append(" x")
                .append(String.format(Locale.ROOT, "%,d", count)));
    return text.toString();
  }

  private static String ratio(Double ratio) {
    return ratio == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }
}
