package io.pulse.api.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Clients sending batches of events round-robin to the nodes that are up, as a load balancer would.
 * A batch that is not acknowledged (an error status, a refused or broken connection) is retried
 * with the same event ids on the next node, as a client should; an event counts as acknowledged
 * only once a 202 says so. Every event id sent and every one acknowledged is kept, so that the
 * journal can be checked against them.
 */
final class LoadGenerator implements AutoCloseable {

  private static final String[][] EVENT_TYPES = {
    {"email_open", "email"},
    {"email_click", "email"},
    {"push_click", "push"},
    {"page_view", "web"},
    {"app_session", "app"}
  };

  private final Supplier<List<ClusterNode>> targets;
  private final List<String> users;
  private final String prefix;
  private final int batchSize;
  private final Duration pause;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final AtomicLong acknowledgedCount = new AtomicLong();
  private final AtomicLong unanswered = new AtomicLong();
  private final Set<String> sent = ConcurrentHashMap.newKeySet();
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> acknowledgedByNode = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final Set<String> failures = ConcurrentHashMap.newKeySet();

  LoadGenerator(
      Supplier<List<ClusterNode>> targets,
      List<String> users,
      String prefix,
      int batchSize,
      Duration pause) {
    this.targets = targets;
    this.users = users;
    this.prefix = prefix;
    this.batchSize = batchSize;
    this.pause = pause;
  }

  LoadGenerator start(int clients) {
    for (int client = 0; client < clients; client++) {
      int id = client;
      Thread thread = new Thread(() -> run(id), "load-" + client);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    return this;
  }

  /** Events acknowledged so far. */
  long acknowledgedEvents() {
    return acknowledgedCount.get();
  }

  /** Acknowledged event id to user id. */
  Map<String, String> acknowledged() {
    return acknowledged;
  }

  Set<String> sent() {
    return sent;
  }

  long acknowledgedThrough(ClusterNode node) {
    AtomicLong count = acknowledgedByNode.get(node.name());
    return count == null ? 0 : count.get();
  }

  Set<String> failures() {
    return failures;
  }

  String summary() {
    return "acknowledged "
        + acknowledgedCount.get()
        + " events; answers by status "
        + statuses
        + "; unanswered attempts "
        + unanswered.get()
        + "; acknowledged by node "
        + acknowledgedByNode;
  }

  /**
   * Sends one batch until it is acknowledged or {@code deadline} passes; true when acknowledged.
   */
  boolean sendUntilAcknowledged(List<Map<String, Object>> batch, long deadlineNanos) {
    String body = ClusterNode.MAPPER.valueToTree(batch).toString();
    for (Map<String, Object> event : batch) {
      sent.add((String) event.get("eventId"));
    }
    while (System.nanoTime() < deadlineNanos) {
      List<ClusterNode> nodes = targets.get();
      if (nodes.isEmpty()) {
        ClusterNode.sleep(Duration.ofMillis(100));
        continue;
      }
      ClusterNode node = nodes.get(Math.floorMod(roundRobin.getAndIncrement(), nodes.size()));
      try {
        HttpResponse<String> response = node.post("/v1/events", body, Duration.ofSeconds(15));
        statuses
            .computeIfAbsent(response.statusCode(), status -> new AtomicLong())
            .incrementAndGet();
        if (response.statusCode() == 202) {
          JsonNode answer = ClusterNode.MAPPER.readTree(response.body());
          int counted = answer.get("accepted").asInt() + answer.get("duplicates").asInt();
          if (counted != batch.size()) {
            failures.add(
                "202 counting " + counted + " of " + batch.size() + ": " + response.body());
          }
          for (Map<String, Object> event : batch) {
            acknowledged.put((String) event.get("eventId"), (String) event.get("userId"));
          }
          acknowledgedCount.addAndGet(batch.size());
          acknowledgedByNode
              .computeIfAbsent(node.name(), name -> new AtomicLong())
              .addAndGet(batch.size());
          return true;
        }
        if (response.statusCode() != 503) {
          failures.add(node.name() + " answered " + response.statusCode() + ": " + response.body());
        }
      } catch (IOException e) {
        unanswered.incrementAndGet();
      }
      ClusterNode.sleep(Duration.ofMillis(100));
    }
    return false;
  }

  private void run(int client) {
    long sequence = 0;
    while (!stopping.get()) {
      List<Map<String, Object>> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String[] type = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
        batch.add(
            Map.of(
                "eventId",
                prefix + "-" + client + "-" + sequence++,
                "userId",
                users.get(random.nextInt(users.size())),
                "type",
                type[0],
                "channel",
                type[1]));
      }
      // Even while stopping, a batch already sent is retried until acknowledged.
      if (!sendUntilAcknowledged(batch, System.nanoTime() + Duration.ofSeconds(90).toNanos())) {
        failures.add("a batch was not acknowledged within 90s");
      }
      ClusterNode.sleep(pause);
    }
  }

  /** Stops sending new batches and waits for the ones in flight to be acknowledged. */
  void stop() {
    stopping.set(true);
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofSeconds(100).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    stopping.set(true);
  }
}
