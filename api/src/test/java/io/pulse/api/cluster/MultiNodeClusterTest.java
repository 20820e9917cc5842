package io.pulse.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Pulse as a cluster of separate JVMs on loopback, against PostgreSQL, started from
 * local-cluster.conf: it forms and spreads users over every node; a node killed with SIGKILL under
 * load is downed by the split brain resolver and its shards are taken over; a fourth node joins and
 * takes shards; a node stopped with SIGTERM under load leaves without losing an acknowledged event;
 * readiness follows membership and /metrics moves under load. At the end every acknowledged event
 * is in the journal exactly once, and every user's score equals the score that the pure domain
 * recomputes from the journal.
 */
class MultiNodeClusterTest {

  private static final int USERS = 300;
  // Generous: on a busy 2-core machine a node JVM has taken a minute to start.
  private static final Duration START = Duration.ofSeconds(180);

  private final List<ClusterNode> live = new CopyOnWriteArrayList<>();
  private final Map<String, String> timings = new LinkedHashMap<>();
  private final long testStarted = System.nanoTime();

  @Test
  void formsSpreadsSurvivesAKillGrowsAndDrains() throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "multi-node-cluster"));
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> users = IntStream.range(0, USERS).mapToObj(i -> "mn-" + run + "-u" + i).toList();
    try (TestDatabase database = TestDatabase.create(DatabaseKind.POSTGRES);
        ClusterNode node1 = new ClusterNode("node1", database, logs);
        ClusterNode node2 = new ClusterNode("node2", database, logs);
        ClusterNode node3 = new ClusterNode("node3", database, logs);
        ClusterNode node4 = new ClusterNode("node4", database, logs)) {
      for (ClusterNode node : List.of(node1, node2, node3, node4)) {
        node.seedNodes(node1.address(), node2.address());
      }
      Map<String, String> extraAcknowledged = new HashMap<>();
      try {
        notReadyBeforeJoiningThenReady(node1, node2, node3);
        try (LoadGenerator load =
            new LoadGenerator(() -> live, users, "mn-" + run, 20, Duration.ofMillis(10))) {
          formAndSpread(List.of(node1, node2, node3), load, run, extraAcknowledged);
          killANode(node1, List.of(node2, node3), users, run, load, extraAcknowledged);
          grow(node4, load);
          drain(node2, List.of(node3, node4), load);
          load.stop();
          assertTrue(load.failures().isEmpty(), "client failures: " + load.failures());
          mark("load stopped: " + load.summary());
          everyAcknowledgedEventIsJournaledAndEveryScoreRecomputes(
              database, load, extraAcknowledged, List.of(node3, node4));
        }
      } catch (Throwable failure) {
        StringBuilder logsOfNodes = new StringBuilder();
        for (ClusterNode node : List.of(node1, node2, node3, node4)) {
          logsOfNodes.append('\n').append(node.logTail());
        }
        fail(failure + "\ntimings " + timings + logsOfNodes, failure);
      } finally {
        report();
      }
    }
  }

  /** Readiness: a node waiting for its seed nodes is alive but not ready; once it joins, ready. */
  private void notReadyBeforeJoiningThenReady(
      ClusterNode node1, ClusterNode node2, ClusterNode node3) {
    // node2's first seed is node1, which is not running: node2 cannot form or join a cluster.
    node2.start();
    node2.awaitAlive(START);
    assertEquals(503, node2.status("/health/ready"));
    JsonNode readiness = node2.readiness();
    assertEquals("not-ready", readiness.get("status").asText(), readiness.toString());
    assertFalse(readiness.get("checks").get("clusterMemberUp").asBoolean(), readiness.toString());
    // A node of a multi-node cluster starts no shard before it is ready: were it the first member
    // up, it would be given every shard.
    assertTrue(readiness.get("checks").get("userShardsStarted").asBoolean(), readiness.toString());
    // Pekko Management answers a failed check with 500; the kubelet takes any status >= 400.
    assertEquals(500, node2.managementStatus("/ready"), "management readiness before joining");
    assertEquals(200, node2.managementStatus("/alive"));
    mark("node2 alive and not ready before joining");

    node1.start();
    node3.start();
    for (ClusterNode node : List.of(node1, node2, node3)) {
      node.awaitReady(START);
      live.add(node);
    }
    assertEquals(200, node2.managementStatus("/ready"), "management readiness after joining");
    assertEquals("ready", node2.readiness().get("status").asText());
    awaitTrue(Duration.ofSeconds(30), "three Up members", () -> upMembers(node2).size() == 3);
    mark("three nodes ready; node2 ready after joining");
  }

  /** Events go through every node, users spread over all three, and the metrics move. */
  private void formAndSpread(
      List<ClusterNode> nodes, LoadGenerator load, String run, Map<String, String> extra)
      throws IOException {
    Map<ClusterNode, PrometheusText> before = new HashMap<>();
    for (ClusterNode node : nodes) {
      before.put(node, node.metrics());
    }
    load.start(3);
    awaitTrue(
        Duration.ofSeconds(60),
        "events acknowledged through every node",
        () ->
            load.acknowledgedEvents() >= 3000
                && nodes.stream().allMatch(node -> load.acknowledgedThrough(node) > 0));
    // An invalid event and a retried one through every node, for the rejected and duplicate counts.
    for (ClusterNode node : nodes) {
      String eventId = "mn-" + run + "-metrics-" + node.name();
      String userId = "mn-" + run + "-u0";
      String event =
          "{\"eventId\":\"" + eventId + "\",\"userId\":\"" + userId + "\",\"type\":\"page_view\"}";
      HttpResponse<String> first =
          node.post(
              "/v1/events",
              "[" + event + ",{\"userId\":\"" + userId + "\",\"type\":7}]",
              Duration.ofSeconds(15));
      assertEquals(202, first.statusCode(), first.body());
      extra.put(eventId, userId);
      HttpResponse<String> again = node.post("/v1/events", event, Duration.ofSeconds(15));
      assertEquals(202, again.statusCode(), again.body());
      assertTrue(again.body().contains("\"duplicates\":1"), again.body());
    }
    for (ClusterNode node : nodes) {
      PrometheusText earlier = before.get(node);
      PrometheusText now = node.metrics();
      String where = node.name() + " /metrics";
      for (String counter :
          List.of(
              "pulse_events_ingested_total",
              "pulse_events_rejected_total",
              "pulse_events_duplicated_total",
              "pulse_entity_events_recorded_total",
              "pulse_transitions_emitted_total",
              "pulse_journal_write_seconds_count",
              "pulse_ingest_latency_seconds_count{status=\"202\"}",
              "pulse_http_responses_total{status=\"202\"}")) {
        assertTrue(
            now.get(counter) > earlier.value(counter).orElse(0),
            where + ": " + counter + " moved under load");
      }
      assertTrue(now.has("pulse_ingest_latency_seconds_bucket{status=\"202\",le="), where);
      assertTrue(now.has("pulse_journal_write_seconds_bucket{le="), where);
      assertTrue(now.get("pulse_user_entities_active") > 0, where + ": active entities");
      assertTrue(now.has("pulse_user_entities_passivated_total"), where);
      assertTrue(
          now.get("pulse_read_side_lag_seconds{reader=\"transition-feed\",tag=\"transition\"}")
              >= 0,
          where + ": read-side lag");
      assertTrue(now.get("pulse_read_side_lag_transitions") >= 0, where);
      assertTrue(now.get("jvm_memory_used_bytes{area=\"heap\",id=\"Tenured Gen\"}") > 0, where);
      assertTrue(now.has("jvm_gc_"), where + ": GC metrics");
      // Spread: every node's shard region hosts user shards and entities.
      assertTrue(now.get("pulse_sharding_shards{entity=\"user\"}") > 0, where + ": shards");
      assertTrue(now.get("pulse_sharding_entities{entity=\"user\"}") > 0, where + ": entities");
      timings.put(
          "spread " + node.name(),
          (long) now.get("pulse_sharding_shards{entity=\"user\"}")
              + " shards, "
              + (long) now.get("pulse_sharding_entities{entity=\"user\"}")
              + " entities");
    }
    mark("formed and spread: " + load.summary());
  }

  /**
   * SIGKILL on the oldest node (shard coordinator) under load: the survivors down it and take over
   * its shards; full service is the first request touching every user that is acknowledged.
   */
  private void killANode(
      ClusterNode victim,
      List<ClusterNode> survivors,
      List<String> users,
      String run,
      LoadGenerator load,
      Map<String, String> extra)
      throws Exception {
    long killed = System.nanoTime();
    victim.kill();
    live.remove(victim);
    AtomicLong fullService = new AtomicLong();
    Set<String> probeIds = new HashSet<>();
    List<java.util.concurrent.CompletableFuture<?>> probes = new ArrayList<>();
    long downed = 0;
    long deadline = killed + Duration.ofSeconds(90).toNanos();
    for (int probe = 0; fullService.get() == 0 && System.nanoTime() < deadline; probe++) {
      List<Map<String, Object>> batch = new ArrayList<>();
      Map<String, String> ids = new HashMap<>();
      for (String user : users) {
        String eventId = "mn-" + run + "-probe-" + probe + "-" + user;
        batch.add(Map.of("eventId", eventId, "userId", user, "type", "page_view"));
        ids.put(eventId, user);
      }
      probeIds.addAll(ids.keySet());
      ClusterNode target = survivors.get(probe % survivors.size());
      probes.add(
          ClusterNode.CLIENT
              .sendAsync(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + target.httpPort() + "/v1/events"))
                      .timeout(Duration.ofSeconds(15))
                      .header("Content-Type", "application/json")
                      .header("Authorization", "Bearer " + ClusterNode.ADMIN_KEY)
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              ClusterNode.MAPPER.valueToTree(batch).toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .thenAccept(
                  response -> {
                    if (response.statusCode() == 202) {
                      synchronized (extra) {
                        extra.putAll(ids);
                      }
                      fullService.compareAndSet(0, System.nanoTime());
                    }
                  }));
      if (downed == 0 && !memberAddresses(survivors.get(0)).contains(victim.address())) {
        downed = System.nanoTime();
      }
      ClusterNode.sleep(Duration.ofMillis(250));
    }
    assertTrue(fullService.get() > 0, "no request touching every user was acknowledged in 90s");
    awaitTrue(
        Duration.ofSeconds(30),
        "the killed node removed from the cluster",
        () -> !memberAddresses(survivors.get(0)).contains(victim.address()));
    if (downed == 0) {
      downed = System.nanoTime();
    }
    for (java.util.concurrent.CompletableFuture<?> probe : probes) {
      probe.handle((done, failure) -> null).get();
    }
    load.sent().addAll(probeIds);
    double toFullService = (fullService.get() - killed) / 1e9;
    double toDowned = (downed - killed) / 1e9;
    timings.put("kill -> downed and removed (s)", String.format("%.1f", toDowned));
    timings.put("kill -> full service (s)", String.format("%.1f", toFullService));
    assertTrue(
        survivors.stream().anyMatch(node -> sbrDecisions(node) > 0),
        "a survivor's split brain resolver downed the killed node");
    long acknowledgedAtFullService = load.acknowledgedEvents();
    awaitTrue(
        Duration.ofSeconds(30),
        "ingestion resumed after the kill",
        () -> load.acknowledgedEvents() > acknowledgedAtFullService + 500);
    assertEquals(2, upMembers(survivors.get(0)).size());
    mark(
        String.format(
            "kill: downed after %.1fs, full service after %.1fs", toDowned, toFullService));
  }

  /** A fourth node joins, becomes ready, and shards rebalance onto it. */
  private void grow(ClusterNode node4, LoadGenerator load) {
    long started = System.nanoTime();
    node4.start();
    node4.awaitReady(START);
    live.add(node4);
    awaitTrue(Duration.ofSeconds(30), "three Up members", () -> upMembers(node4).size() == 3);
    awaitTrue(
        Duration.ofSeconds(60),
        "shards rebalanced onto node4 and its entities active",
        () -> {
          PrometheusText metrics = node4.metrics();
          return metrics.get("pulse_sharding_shards{entity=\"user\"}") > 0
              && metrics.get("pulse_user_entities_active") > 0;
        });
    awaitTrue(
        Duration.ofSeconds(30),
        "events acknowledged through node4",
        () -> load.acknowledgedThrough(node4) > 0);
    PrometheusText metrics = node4.metrics();
    timings.put(
        "grow: node4 holds",
        (long) metrics.get("pulse_sharding_shards{entity=\"user\"}")
            + " shards after "
            + String.format("%.1f", (System.nanoTime() - started) / 1e9)
            + "s from start");
    mark("grew to node4");
  }

  /**
   * SIGTERM under load: the node drains, hands off, leaves and exits; nothing acknowledged lost.
   */
  private void drain(ClusterNode leaving, List<ClusterNode> staying, LoadGenerator load) {
    long acknowledgedBefore = load.acknowledgedThrough(leaving);
    awaitTrue(
        Duration.ofSeconds(20),
        "load through the node about to leave",
        () -> load.acknowledgedThrough(leaving) > acknowledgedBefore);
    int decisionsBefore = staying.stream().mapToInt(MultiNodeClusterTest::sbrDecisions).sum();
    long terminated = System.nanoTime();
    leaving.terminate();
    int exit = leaving.awaitExit(Duration.ofSeconds(60));
    live.remove(leaving);
    double exitSeconds = (System.nanoTime() - terminated) / 1e9;
    assertTrue(exit == 143 || exit == 0, "exit code " + exit);
    awaitTrue(
        Duration.ofSeconds(30),
        "the drained node gone from the cluster, nobody unreachable",
        () ->
            !memberAddresses(staying.get(0)).contains(leaving.address())
                && staying.get(0).members().path("unreachable").isEmpty());
    String log = leaving.log();
    assertTrue(log.contains("Exiting completed"), "the node left the cluster (Exiting completed)");
    assertEquals(
        decisionsBefore,
        staying.stream().mapToInt(MultiNodeClusterTest::sbrDecisions).sum(),
        "a graceful leave, not a node downed by the split brain resolver");
    long acknowledgedAfter = load.acknowledgedEvents();
    awaitTrue(
        Duration.ofSeconds(30),
        "ingestion goes on after the drain",
        () -> load.acknowledgedEvents() > acknowledgedAfter + 500);
    timings.put("drain: SIGTERM -> exit (s)", String.format("%.1f", exitSeconds));
    mark("drained " + leaving.name());
  }

  private void everyAcknowledgedEventIsJournaledAndEveryScoreRecomputes(
      TestDatabase database, LoadGenerator load, Map<String, String> extra, List<ClusterNode> nodes)
      throws Exception {
    Map<String, String> acknowledged = new HashMap<>(load.acknowledged());
    acknowledged.putAll(extra);
    Set<String> sent = new HashSet<>(load.sent());
    sent.addAll(extra.keySet());
    Map<String, JournalAudit.UserJournal> journal = JournalAudit.read(database);
    Map<String, String> journaled = new HashMap<>();
    int rows = 0;
    for (JournalAudit.UserJournal user : journal.values()) {
      for (BehaviouralEvent event : user.events()) {
        rows++;
        String earlier = journaled.put(event.eventId(), user.userId());
        assertTrue(earlier == null, "event " + event.eventId() + " journaled twice");
        assertTrue(sent.contains(event.eventId()), "journaled but never sent: " + event.eventId());
      }
    }
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> event : acknowledged.entrySet()) {
      if (!event.getValue().equals(journaled.get(event.getKey()))) {
        missing.add(event.getKey());
      }
    }
    assertTrue(
        missing.isEmpty(),
        missing.size()
            + " acknowledged events not in the journal, e.g. "
            + missing.subList(0, Math.min(5, missing.size())));
    timings.put("journal", rows + " events journaled, " + acknowledged.size() + " acknowledged");

    ScoringModel model = ScoringModel.defaultEngagement();
    int checked = 0;
    for (JournalAudit.UserJournal user : journal.values()) {
      ClusterNode node = nodes.get(checked++ % nodes.size());
      ClusterNode.Answer answer = node.get("/v1/users/" + user.userId());
      assertEquals(200, answer.status(), answer.body());
      JsonNode body = ClusterNode.MAPPER.readTree(answer.body());
      double recomputed = user.scoreAt(model, Instant.now());
      assertEquals(
          user.events().size(),
          body.get("metrics").get("events").asInt(),
          user.userId() + " events");
      assertEquals(
          recomputed,
          body.get("scores").get("engagement").get("score").asDouble(),
          1e-4,
          user.userId() + " score served vs recomputed from the journal");
    }
    assertEquals(USERS, checked, "every user has journaled events");
    mark("journal audited: " + rows + " events, " + checked + " users' scores recomputed");
  }

  /** How often the split brain resolver on {@code node} downed unreachable nodes. */
  private static int sbrDecisions(ClusterNode node) {
    return node.log().split("SBR took decision DownUnreachable", -1).length - 1;
  }

  private static List<String> upMembers(ClusterNode node) {
    List<String> up = new ArrayList<>();
    for (JsonNode member : node.members().path("members")) {
      if ("Up".equals(member.path("status").asText())) {
        up.add(member.path("node").asText());
      }
    }
    return up;
  }

  private static Set<String> memberAddresses(ClusterNode node) {
    Set<String> addresses = new HashSet<>();
    for (JsonNode member : node.members().path("members")) {
      addresses.add(member.path("node").asText());
    }
    return addresses;
  }

  private static void awaitTrue(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      ClusterNode.sleep(Duration.ofMillis(250));
    }
  }

  private void mark(String step) {
    timings.put(String.format("%6.1fs", (System.nanoTime() - testStarted) / 1e9), step);
  }

  private void report() throws IOException {
    StringBuilder text = new StringBuilder();
    timings.forEach((key, value) -> text.append(key).append(": ").append(value).append('\n'));
    Files.writeString(Path.of("target", "multi-node-cluster", "report.txt"), text);
    System.out.println("Multi-node cluster test\n" + text);
  }
}
