package io.pulse.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The connection gate in front of a real server socket, with a request handler the test controls:
 * timeouts for request heads, caps per client and per node, draining, and the request-head limits.
 * Attacking connections come from 127.0.0.2, well-behaved ones from 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatedServerTest {

  private static final String ATTACKER = "127.0.0.2";
  private static final String CLIENT = "127.0.0.1";

  private ActorSystem<Void> system;
  private final Map<String, AtomicInteger> observed = new ConcurrentHashMap<>();
  private final ConnectionObserver observer =
      new ConnectionObserver() {
        @Override
        public void refused(ConnectionGate.Refusal reason) {
          count("refused:" + reason.label());
        }

        @Override
        public void timedOut(ConnectionGate.Timeout timeout) {
          count("timed-out:" + timeout.label());
        }
      };
  private volatile CompletableFuture<HttpResponse> slowAnswer = new CompletableFuture<>();
  private ConnectionGate gate;
  private Tcp.ServerBinding binding;
  private final List<RawConnection> connections = new ArrayList<>();

  @BeforeAll
  void startSystem() {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "gated-server-test",
            ConfigFactory.parseString(
                    // pekko-discovery is older than the rest of Pekko here, as in cluster.conf
                    "pekko.actor.provider = local\npekko.loglevel = WARNING\n"
                        + "pekko.fail-mixed-versions = off")
                .withFallback(ConfigFactory.defaultReference()));
  }

  @AfterAll
  void stopSystem() {
    system.terminate();
  }

  @AfterEach
  void stopServer() throws Exception {
    connections.forEach(RawConnection::close);
    connections.clear();
    if (binding != null) {
      binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
      gate.drain(Duration.ofMillis(200)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    observed.clear();
  }

  @Test
  void connectionsWithoutACompleteRequestHeadAreClosedAfterTheHeaderReadTimeout() throws Exception {
    serve(new ConnectionLimits(Duration.ofSeconds(1), Duration.ofSeconds(5), 100, 10));
    long opened = System.nanoTime();
    RawConnection silent = open(ATTACKER);
    RawConnection partial = open(ATTACKER);
    partial.send("GET /ok HTTP/1.1\r\nHost: pul");
    RawConnection slowButComplete = open(CLIENT);
    slowButComplete.send("GET /ok HTTP/1.1\r\n");

    Thread.sleep(400);
    slowButComplete.send("Host: pulse\r\n\r\n");
    assertEquals(200, slowButComplete.readResponse().status());

    silent.awaitClosed(seconds(5));
    assertBetween(
        Duration.ofMillis(900),
        Duration.ofSeconds(4),
        Duration.ofNanos(System.nanoTime() - opened));
    assertTrue(partial.awaitClosed(seconds(2)).toMillis() < 2000);
    assertObserved(2, "timed-out:header-read");
    awaitTrue("slots given back", () -> gate.openConnections(address(ATTACKER)) == 0);
  }

  @Test
  void beyondItsCapAClientsConnectionsAreClosedAtOnceWhileOtherClientsAreServed() throws Exception {
    serve(new ConnectionLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 100, 3));
    List<RawConnection> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(open(ATTACKER));
    }
    awaitTrue("three held", () -> gate.openConnections(address(ATTACKER)) == 3);

    RawConnection fourth = open(ATTACKER);
    assertTrue(fourth.awaitClosed(seconds(1)).toMillis() < 1000);
    assertObserved(1, "refused:max-connections-per-client");
    assertEquals(200, open(CLIENT).get("/ok").status());
    for (RawConnection connection : held) {
      assertTrue(connection.staysOpenFor(Duration.ofMillis(100)));
    }

    held.get(0).close();
    awaitTrue("a slot given back", () -> gate.openConnections(address(ATTACKER)) == 2);
    RawConnection again = open(ATTACKER);
    assertEquals(200, again.get("/ok").status());
    assertObserved(1, "refused:max-connections-per-client");
  }

  @Test
  void beyondTheNodeCapEveryClientsConnectionIsClosedAtOnce() throws Exception {
    serve(new ConnectionLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 3, 3));
    for (int i = 0; i < 3; i++) {
      open(ATTACKER);
    }
    awaitTrue("three held", () -> gate.openConnections() == 3);

    assertTrue(open(CLIENT).awaitClosed(seconds(1)).toMillis() < 1000);
    assertObserved(1, "refused:max-connections");
  }

  @Test
  void aKeepAliveConnectionWaitsTheIdleTimeoutBetweenRequestsAndIsThenClosed() throws Exception {
    serve(new ConnectionLimits(Duration.ofMillis(500), Duration.ofSeconds(2), 100, 10));
    RawConnection connection = open(CLIENT);
    for (int i = 0; i < 3; i++) {
      // each pause is longer than the header-read timeout and shorter than the idle timeout
      assertEquals(200, connection.get("/ok").status());
      Thread.sleep(1000);
    }
    assertEquals(200, connection.get("/ok").status());

    assertBetween(
        Duration.ofMillis(1600), Duration.ofSeconds(5), connection.awaitClosed(seconds(6)));
    assertObserved(1, "timed-out:idle");
    assertEquals(0, observed("timed-out:header-read"));
  }

  @Test
  void aStreamedResponseLongerThanBothTimeoutsIsSentWholeAndTheIdleWaitStartsAfterIt()
      throws Exception {
    serve(new ConnectionLimits(Duration.ofMillis(500), Duration.ofSeconds(1), 100, 10));
    RawConnection connection = open(CLIENT);

    long start = System.nanoTime();
    RawConnection.Response stream = connection.get("/stream");
    Duration streamed = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(200, stream.status());
    assertEquals(8, stream.chunks().size(), stream.body());
    assertTrue(streamed.toMillis() > 1500, "streamed for " + streamed);
    assertBetween(
        Duration.ofMillis(800), Duration.ofSeconds(4), connection.awaitClosed(seconds(5)));
    assertObserved(1, "timed-out:idle");
  }

  @Test
  void aConnectionOnWhichNoByteMovesForTheIdleTimeoutIsClosedEvenWithinARequest() throws Exception {
    serve(new ConnectionLimits(Duration.ofSeconds(1), Duration.ofSeconds(2), 100, 10));
    RawConnection stalled = open(CLIENT);
    // The head is complete, so no head timer runs; the body stops after 10 of 100 bytes.
    stalled.send("POST /upload HTTP/1.1\r\nHost: pulse\r\nContent-Length: 100\r\n\r\n0123456789");
    long sent = System.nanoTime();

    stalled.awaitClosed(seconds(6));

    assertBetween(
        Duration.ofMillis(1800), Duration.ofSeconds(5), Duration.ofNanos(System.nanoTime() - sent));
    assertEquals(0, observed("timed-out:header-read"));
  }

  @Test
  void drainingClosesIdleConnectionsAtOnceAndAnswersTheOneInFlightWithConnectionClose()
      throws Exception {
    serve(new ConnectionLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 100, 10));
    RawConnection idle = open(CLIENT);
    assertEquals(200, idle.get("/ok").status());
    RawConnection busy = open(CLIENT);
    busy.send("GET /slow HTTP/1.1\r\nHost: pulse\r\n\r\n");
    awaitTrue("both held", () -> gate.openConnections() == 2);
    Thread.sleep(200);

    CompletableFuture<?> drained = gate.drain(seconds(10)).toCompletableFuture();

    assertTrue(idle.awaitClosed(seconds(1)).toMillis() < 1000);
    assertFalse(drained.isDone());
    slowAnswer.complete(HttpResponse.create().withEntity("finished"));
    RawConnection.Response answer = busy.readResponse();
    assertEquals(200, answer.status());
    assertEquals("finished", answer.body());
    assertEquals("close", answer.header("Connection"));
    busy.awaitClosed(seconds(2));
    drained.get(2, TimeUnit.SECONDS);
    assertEquals(0, gate.openConnections());
    assertTrue(open(CLIENT).awaitClosed(seconds(1)).toMillis() < 1000);
    assertObserved(1, "refused:shutting-down");
  }

  @Test
  void aRequestStillInFlightAtTheDrainDeadlineGetsA503() throws Exception {
    serve(new ConnectionLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 100, 10));
    RawConnection busy = open(CLIENT);
    busy.send("GET /slow HTTP/1.1\r\nHost: pulse\r\n\r\n");
    awaitTrue("held", () -> gate.openConnections() == 1);
    Thread.sleep(200);

    long start = System.nanoTime();
    CompletableFuture<?> drained = gate.drain(seconds(1)).toCompletableFuture();
    RawConnection.Response answer = busy.readResponse();

    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 900);
    assertEquals(503, answer.status());
    assertTrue(answer.header("Content-Type").startsWith("application/problem+json"));
    assertTrue(answer.body().contains("urn:pulse:problem:unavailable"), answer.body());
    assertEquals("close", answer.header("Connection"));
    busy.awaitClosed(seconds(2));
    drained.get(3, TimeUnit.SECONDS);
  }

  @Test
  void aRequestHeadOverTheLimitsIsAnsweredWithAProblem() throws Exception {
    serve(new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 100, 10));

    RawConnection.Response longUri = open(CLIENT).get("/ok?q=" + "x".repeat(5000));
    assertEquals(414, longUri.status());
    assertTrue(longUri.header("Content-Type").startsWith("application/problem+json"));
    assertTrue(longUri.body().contains("\"type\":\"urn:pulse:problem:uri-too-long\""));
    assertTrue(longUri.body().contains("longer than 4096 characters"), longUri.body());

    String[] headers = new String[65];
    for (int i = 0; i < headers.length; i++) {
      headers[i] = "X-Filler-" + i + ": " + i;
    }
    RawConnection.Response manyHeaders = open(CLIENT).get("/ok", headers);
    assertEquals(400, manyHeaders.status());
    assertTrue(manyHeaders.header("Content-Type").startsWith("application/problem+json"));
    assertTrue(
        manyHeaders.body().contains("more than the configured limit of 64 headers"),
        manyHeaders.body());

    RawConnection.Response longValue = open(CLIENT).get("/ok", "X-Filler: " + "y".repeat(9000));
    assertEquals(431, longValue.status(), longValue.body());
    assertTrue(
        longValue.body().contains("\"type\":\"urn:pulse:problem:request-header-fields-too-large\""),
        longValue.body());

    assertEquals(
        200, open(CLIENT).get("/ok", headers[0], "X-Filler: " + "y".repeat(8000)).status());
  }

  private void serve(ConnectionLimits limits) throws Exception {
    gate = new ConnectionGate(limits, observer);
    binding =
        gate.bind(system, "127.0.0.1", 0, handler())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  private Flow<HttpRequest, HttpResponse, ?> handler() {
    return Flow.of(HttpRequest.class).mapAsync(1, this::answer);
  }

  private CompletionStage<HttpResponse> answer(HttpRequest request) {
    if (request.getUri().path().equals("/upload")) {
      return request
          .entity()
          .toStrict(10_000, system)
          .thenApply(body -> HttpResponse.create().withEntity("read " + body.getData().size()));
    }
    request.discardEntityBytes(system);
    return switch (request.getUri().path()) {
      case "/slow" -> slowAnswer;
      case "/stream" ->
          CompletableFuture.completedFuture(
              HttpResponse.create()
                  .withEntity(
                      HttpEntities.createChunked(
                          ContentTypes.TEXT_PLAIN_UTF8,
                          Source.range(1, 8)
                              .throttle(1, Duration.ofMillis(250))
                              .map(i -> ByteString.fromString("tick " + i + "\n")))));
      default -> CompletableFuture.completedFuture(HttpResponse.create().withEntity("ok"));
    };
  }

  private RawConnection open(String from) throws Exception {
    RawConnection connection = RawConnection.open(from, binding.localAddress().getPort());
    connections.add(connection);
    return connection;
  }

  private void count(String what) {
    observed.computeIfAbsent(what, key -> new AtomicInteger()).incrementAndGet();
  }

  /**
   * The observer hears of a connection's end from the server's side, which may come a moment after
   * the client saw the connection close.
   */
  private void assertObserved(int expected, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (observed(what) != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(expected, observed(what), what + " among " + observed);
  }

  private int observed(String what) {
    return observed.getOrDefault(what, new AtomicInteger()).get();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  private static void assertBetween(Duration min, Duration max, Duration actual) {
    assertTrue(
        actual.compareTo(min) >= 0 && actual.compareTo(max) <= 0,
        "expected between " + min + " and " + max + " but took " + actual);
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
