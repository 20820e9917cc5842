package io.pulse.loadtest.run;

import io.pulse.loadtest.gen.EventGenerator;
import io.pulse.loadtest.gen.UserSampler;
import io.pulse.loadtest.http.RequestHeads;
import io.pulse.loadtest.http.TargetUrl;
import io.pulse.loadtest.report.LoadReport;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs one load test: starts the I/O threads, cuts the warm-up and measured windows on the clock,
 * prints progress, and builds the report once every request has been answered or has timed out.
 */
public final class LoadRunner {
  /** Time for the I/O threads to start and open their connections before the clock starts. */
  private static final long START_DELAY_NANOS = 200_000_000;

  private static final int SIGNIFICANT_DIGITS = 3;

  private final LoadSettings settings;
  private final PrintStream progress;

  public LoadRunner(LoadSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  public LoadReport run() throws InterruptedException {
    TargetUrl target = TargetUrl.parse(settings.url());
    InetSocketAddress address = target.address();
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve host " + target.host());
    }
    UserSampler users = UserSampler.of(settings.skew(), settings.users(), settings.zipfExponent());
    String runId =
        Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
    Counters counters = new Counters();
    Recorder latency = new Recorder(SIGNIFICANT_DIGITS);
    Recorder sendLag = new Recorder(SIGNIFICANT_DIGITS);

    long startNanos = System.nanoTime() + START_DELAY_NANOS;
    long warmEndNanos = startNanos + (long) (settings.warmupSeconds() * 1e9);
    long sendEndNanos = warmEndNanos + (long) (settings.durationSeconds() * 1e9);
    Instant startedAt = Instant.now().plusNanos(START_DELAY_NANOS);
    AcknowledgementGaps acknowledgements = new AcknowledgementGaps(startNanos);

    List<LoadLoop> loops = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < settings.threads(); i++) {
      EventGenerator generator =
          new EventGenerator(
              settings.mix(),
              users,
              settings.userPrefix(),
              runId + "-" + i,
              settings.duplicateRatio(),
              settings.seed() * 31 + i);
      LoadLoop loop =
          new LoadLoop(
              settings,
              i,
              settings.threads(),
              generator,
              address,
              new RequestHeads(target, "/v1/events", settings.keys(), i),
              counters,
              acknowledgements,
              latency,
              sendLag,
              startNanos,
              sendEndNanos);
      Thread thread = new Thread(loop, "pulse-load-io-" + i);
      thread.setDaemon(true);
      loops.add(loop);
      threads.add(thread);
    }
    threads.forEach(Thread::start);

    Windows windows =
        observe(counters, latency, sendLag, loops, startNanos, warmEndNanos, sendEndNanos);

    long joinDeadline = System.nanoTime() + (long) ((settings.timeoutSeconds() + 10) * 1e9);
    for (Thread thread : threads) {
      long left = joinDeadline - System.nanoTime();
      if (left > 0) {
        thread.join(Math.max(1, left / 1_000_000));
      }
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not finish its requests in time");
      }
    }
    for (LoadLoop loop : loops) {
      if (loop.failure != null) {
        throw new IllegalStateException("I/O thread failed: " + loop.failure, loop.failure);
      }
    }
    long finishedNanos = System.nanoTime();
    CounterSnapshot whole = counters.snapshot();
    return ReportBuilder.build(
        settings,
        startedAt,
        windows.measured,
        windows.measuredSeconds,
        whole,
        (finishedNanos - startNanos) / 1e9,
        windows.latency,
        acknowledgements.until(Math.min(sendEndNanos, finishedNanos)),
        windows.sendLag,
        loops,
        windows.cpuSeconds,
        target.toString(),
        counters.keyRefusal());
  }

  private record Windows(
      CounterSnapshot measured,
      double measuredSeconds,
      Histogram latency,
      Histogram sendLag,
      Double cpuSeconds) {}

  /** Runs on the calling thread until the measured window closes. */
  private Windows observe(
      Counters counters,
      Recorder latency,
      Recorder sendLag,
      List<LoadLoop> loops,
      long startNanos,
      long warmEndNanos,
      long sendEndNanos) {
    Histogram measuredLatency = new Histogram(SIGNIFICANT_DIGITS);
    Histogram measuredLag = new Histogram(SIGNIFICANT_DIGITS);
    Histogram progressLatency = new Histogram(SIGNIFICANT_DIGITS);
    Histogram intervalLatency = null;
    Histogram intervalLag = null;
    long progressNanos = (long) (settings.progressSeconds() * 1e9);
    long nextProgress = progressNanos > 0 ? startNanos + progressNanos : Long.MAX_VALUE;
    boolean measuring = settings.warmupSeconds() == 0;
    CounterSnapshot atWarmEnd = measuring ? counters.snapshot() : null;
    long warmEndActual = startNanos;
    Double cpuAtWarmEnd = measuring ? processCpuSeconds() : null;
    CounterSnapshot atLastProgress = counters.snapshot();
    long lastProgressNanos = startNanos;

    while (true) {
      long boundary = Math.min(nextProgress, measuring ? sendEndNanos : warmEndNanos);
      sleepUntil(boundary, loops, counters);
      long now = System.nanoTime();
      intervalLatency = latency.getIntervalHistogram(intervalLatency);
      intervalLag = sendLag.getIntervalHistogram(intervalLag);
      progressLatency.add(intervalLatency);
      if (measuring) {
        measuredLatency.add(intervalLatency);
        measuredLag.add(intervalLag);
      }
      if (!measuring && now >= warmEndNanos) {
        measuring = true;
        atWarmEnd = counters.snapshot();
        warmEndActual = now;
        cpuAtWarmEnd = processCpuSeconds();
      }
      boolean finished =
          measuring && now >= sendEndNanos || allStopped(loops) || counters.keyRefusal() != null;
      if (now >= nextProgress || finished && progressNanos > 0) {
        CounterSnapshot current = counters.snapshot();
        printProgress(
            now - startNanos,
            now - lastProgressNanos,
            current.minus(atLastProgress),
            progressLatency,
            loops,
            // A line is labelled by the phase that most of its interval belongs to.
            lastProgressNanos + (now - lastProgressNanos) / 2 >= warmEndNanos);
        progressLatency.reset();
        atLastProgress = current;
        lastProgressNanos = now;
        while (nextProgress <= now) {
          nextProgress += progressNanos;
        }
      }
      if (finished) {
        CounterSnapshot atEnd = counters.snapshot();
        Double cpuAtEnd = processCpuSeconds();
        if (atWarmEnd == null) {
          atWarmEnd = atEnd;
          warmEndActual = now;
        }
        Double cpu = cpuAtEnd != null && cpuAtWarmEnd != null ? cpuAtEnd - cpuAtWarmEnd : null;
        return new Windows(
            atEnd.minus(atWarmEnd), (now - warmEndActual) / 1e9, measuredLatency, measuredLag, cpu);
      }
    }
  }

  private void printProgress(
      long elapsedNanos,
      long intervalNanos,
      CounterSnapshot interval,
      Histogram intervalLatency,
      List<LoadLoop> loops,
      boolean measuring) {
    double seconds = Math.max(1e-9, intervalNanos / 1e9);
    int inFlight = 0;
    long behind = 0;
    for (LoadLoop loop : loops) {
      inFlight += loop.inFlightGauge;
      behind = Math.max(behind, loop.behindNanosGauge);
    }
    String p99 =
        intervalLatency.getTotalCount() == 0
            ? "      -"
            : String.format(
                Locale.ROOT, "%7.2f", intervalLatency.getValueAtPercentile(99) / 1000.0);
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "[%7.1fs] %-7s sent %,9.0f ev/s  accepted %,9.0f ev/s  p99 %s ms  errors %,d"
                    + "  throttled %,d  in-flight %d",
                elapsedNanos / 1e9,
                measuring ? "measure" : "warm-up",
                interval.events() / seconds,
                interval.accepted() / seconds,
                p99,
                interval.failedRequests(),
                interval.throttledRequests(),
                inFlight));
    if (settings.openModel()) {
      line.append(String.format(Locale.ROOT, "  behind %.1f ms", behind / 1e6));
    }
    progress.println(line);
  }

  private static boolean allStopped(List<LoadLoop> loops) {
    for (LoadLoop loop : loops) {
      if (loop.failure == null) {
        return false;
      }
    }
    return true;
  }

  private static void sleepUntil(long deadline, List<LoadLoop> loops, Counters counters) {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || allStopped(loops) || counters.keyRefusal() != null) {
        return;
      }
      LockSupport.parkNanos(Math.min(left, 100_000_000));
    }
  }

  /** CPU time of this process, or null where the platform does not expose it. */
  static Double processCpuSeconds() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
      long nanos = hotspot.getProcessCpuTime();
      return nanos < 0 ? null : nanos / 1e9;
    }
    return null;
  }
}
