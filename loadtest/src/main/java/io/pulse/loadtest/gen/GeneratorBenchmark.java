package io.pulse.loadtest.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures the generator alone: events produced and serialised per second with no network, to show
 * it is not what limits a load run.
 */
public final class GeneratorBenchmark {

  /** Events and bytes one benchmark produced. */
  public record Result(
      int threads,
      int eventsPerRequest,
      double seconds,
      long events,
      long bytes,
      double eventsPerSecond,
      double megabytesPerSecond,
      double bytesPerEvent) {}

  private GeneratorBenchmark() {}

  /** Runs {@code threads} generators flat out for {@code seconds} after a one-second warm-up. */
  public static Result run(
      int threads,
      double seconds,
      int eventsPerRequest,
      EventMix mix,
      UserSampler users,
      double duplicateRatio)
      throws InterruptedException {
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    long[] events = new long[threads];
    long[] bytes = new long[threads];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread worker =
          new Thread(
              () -> {
                EventGenerator generator =
                    new EventGenerator(mix, users, "u-", "bench-" + index, duplicateRatio, index);
                JsonBuffer buffer = new JsonBuffer(eventsPerRequest * 300);
                long producedEvents = 0;
                long producedBytes = 0;
                boolean counting = false;
                while (!stop.get()) {
                  if (!counting && measuring.get()) {
                    counting = true;
                    producedEvents = 0;
                    producedBytes = 0;
                  }
                  buffer.reset(0);
                  generator.writeBatch(buffer, eventsPerRequest, System.currentTimeMillis());
                  producedEvents += eventsPerRequest;
                  producedBytes += buffer.length();
                }
                events[index] = producedEvents;
                bytes[index] = producedBytes;
              },
              "pulse-generator-bench-" + t);
      workers.add(worker);
      worker.start();
    }
    Thread.sleep(1000);
    measuring.set(true);
    long started = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    double elapsed = (System.nanoTime() - started) / 1e9;
    for (Thread worker : workers) {
      worker.join();
    }
    long totalEvents = 0;
    long totalBytes = 0;
    for (int t = 0; t < threads; t++) {
      totalEvents += events[t];
      totalBytes += bytes[t];
    }
    return new Result(
        threads,
        eventsPerRequest,
        elapsed,
        totalEvents,
        totalBytes,
        Math.round(totalEvents / elapsed),
        Math.round(totalBytes / elapsed / 1e6 * 10) / 10.0,
        totalEvents == 0 ? 0 : Math.round(totalBytes * 10.0 / totalEvents) / 10.0);
  }
}
