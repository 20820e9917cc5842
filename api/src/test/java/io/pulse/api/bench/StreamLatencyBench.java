package io.pulse.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pulse.api.PulseServer;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Latency from an event's {@code 202} to its transition on {@code GET /v1/transitions/stream}:
 * starts a node in this JVM on a fresh database, connects one SSE client, then sends events at a
 * steady rate, each for a new user (so each causes exactly one transition), and measures, per
 * transition, the time from the 202 of its event to its arrival on the stream.
 *
 * <pre>
 * mvn -B -o -q -pl api exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.pulse.api.bench.StreamLatencyBench \
 *   -Dexec.args="--db h2 --rate 50 --seconds 30 --runs 3"
 * </pre>
 *
 * Options: {@code --db h2|postgres}, {@code --rate} events per second, {@code --seconds} measured
 * per run (after 5 s of warm-up), {@code --runs}, {@code --refresh} to override {@code
 * pulse.read-journal.refresh-interval} (e.g. {@code 100ms}).
 */
public final class StreamLatencyBench {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration WARM_UP = Duration.ofSeconds(5);

  private StreamLatencyBench() {}

  /** Percentiles of one run, in milliseconds. */
  record Run(int samples, double p50, double p90, double p99, double max) {}

  /** The admin key the measured node is started with. */
  private static final String KEY = "pulse_stream-latency-bench-key-0123456789";

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    DatabaseKind kind =
        options.getOrDefault("db", "h2").equalsIgnoreCase("postgres")
            ? DatabaseKind.POSTGRES
            : DatabaseKind.H2;
    int rate = Integer.parseInt(options.getOrDefault("rate", "50"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
    int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
    String refresh = options.get("refresh");

    List<Run> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      Run result = run(kind, rate, seconds, refresh);
      System.out.printf(
          Locale.ROOT,
          "run %d: %d transitions, p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          run,
          result.samples(),
          result.p50(),
          result.p90(),
          result.p99(),
          result.max());
      results.add(result);
    }
    System.out.printf(
        Locale.ROOT,
        "median of %d runs (%s, %d events/s, refresh-interval %s): p50 %.0f ms, p90 %.0f ms,"
            + " p99 %.0f ms, max %.0f ms%n",
        runs,
        kind,
        rate,
        refresh == null ? "default" : refresh,
        median(results.stream().mapToDouble(Run::p50).toArray()),
        median(results.stream().mapToDouble(Run::p90).toArray()),
        median(results.stream().mapToDouble(Run::p99).toArray()),
        median(results.stream().mapToDouble(Run::max).toArray()));
  }

  private static Run run(DatabaseKind kind, int rate, int seconds, String refresh)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind)) {
      Map<String, Object> settings = new HashMap<>();
      settings.put("pulse.http.host", "127.0.0.1");
      settings.put("pulse.http.port", 0);
      settings.put("pekko.coordinated-shutdown.exit-jvm", "off");
      settings.put("pulse.access.admin-key", KEY);
      if (refresh != null) {
        settings.put("pulse.read-journal.refresh-interval", refresh);
      }
      Config config =
          ConfigFactory.parseMap(settings)
              .withFallback(database.pulseSettings())
              .withFallback(ConfigFactory.load());
      PulseServer server = PulseServer.start(config, Clock.systemUTC());
      ExecutorService senders = Executors.newFixedThreadPool(8);
      try {
        return measure(server.port(), rate, seconds, senders);
      } finally {
        senders.shutdownNow();
        server.stop(Duration.ofSeconds(30));
      }
    }
  }

  private static Run measure(int port, int rate, int seconds, ExecutorService senders)
      throws Exception {
    String base = "http://127.0.0.1:" + port;
    String key = KEY;
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    awaitReady(client, base);
    String prefix = "lat-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    Map<String, Long> streamed = new ConcurrentHashMap<>();

    HttpResponse<Stream<String>> stream =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/transitions/stream"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    Thread reader =
        new Thread(
            () -> {
              try {
                stream
                    .body()
                    .filter(line -> line.startsWith("data: "))
                    .forEach(
                        line -> {
                          long now = System.nanoTime();
                          String user = userOf(line.substring(6));
                          if (user != null && user.startsWith(prefix)) {
                            streamed.putIfAbsent(user, now);
                          }
                        });
              } catch (java.io.UncheckedIOException closedWithTheNode) {
                // the run is over
              }
            },
            "sse-reader");
    reader.setDaemon(true);
    reader.start();

    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    long warmUpEnd = start + WARM_UP.toNanos();
    long end = warmUpEnd + TimeUnit.SECONDS.toNanos(seconds);
    List<String> measured = new ArrayList<>();
    for (long i = 0; ; i++) {
      long due = start + i * intervalNanos;
      if (due >= end) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String user = prefix + i;
      if (due >= warmUpEnd) {
        measured.add(user);
      }
      senders.execute(() -> send(client, base, user, acknowledged));
    }
    // Let the last transitions arrive.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline
        && !measured.stream()
            .allMatch(user -> streamed.containsKey(user) && acknowledged.containsKey(user))) {
      Thread.sleep(50);
    }
    double[] latencies =
        measured.stream()
            .filter(user -> streamed.containsKey(user) && acknowledged.containsKey(user))
            .mapToDouble(
                user -> Math.max(0, streamed.get(user) - acknowledged.get(user)) / 1_000_000.0)
            .sorted()
            .toArray();
    if (latencies.length < measured.size()) {
      System.out.printf(
          Locale.ROOT,
          "warning: %d of %d transitions not seen on the stream%n",
          measured.size() - latencies.length,
          measured.size());
    }
    return new Run(
        latencies.length,
        percentile(latencies, 50),
        percentile(latencies, 90),
        percentile(latencies, 99),
        latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1]);
  }

  private static void send(
      HttpClient client, String base, String user, Map<String, Long> acknowledged) {
    String body =
        "{\"eventId\":\"e-"
            + user
            + "\",\"userId\":\""
            + user
            + "\",\"type\":\"email_open\",\"channel\":\"email\"}";
    try {
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + KEY)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 202) {
        acknowledged.put(user, System.nanoTime());
      }
    } catch (IOException e) {
      // counted as missing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String userOf(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      return node.hasNonNull("userId") ? node.get("userId").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void awaitReady(HttpClient client, String base) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      HttpResponse<Void> ready =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
              HttpResponse.BodyHandlers.discarding());
      if (ready.statusCode() == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the node did not become ready");
  }

  private static double percentile(double[] sorted, double percentile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
