package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.http.RawConnection;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A transition stream is one long response on one connection: the header-read and idle timeouts,
 * short here, must not cut it while its heartbeat runs, though they still close connections that
 * send nothing.
 */
class H2LongLivedStreamTest {

  private static final Map<String, Object> SHORT_TIMEOUTS =
      Map.of(
          "pulse.transitions.stream.heartbeat-interval", "1s",
          "pulse.http.header-read-timeout", "1s",
          "pulse.http.idle-timeout", "3s");

  @Test
  void aQuietStreamOutlivesTheConnectionTimeoutsOnItsHeartbeat() throws Exception {
    try (TestDatabase database = TestDatabase.create(DatabaseKind.H2);
        TestServer server =
            new TestServer(database, new TestClock(EndToEndContract.T0), SHORT_TIMEOUTS);
        SseClient stream = SseClient.connect(server.port(), "/v1/transitions/stream?after=0")) {
      // More than twice the idle timeout without a transition.
      Thread.sleep(7000);
      assertFalse(stream.ended(), "the stream was closed while quiet");
      assertTrue(stream.statusLine().contains(" 200 "), stream.statusLine());
      assertTrue(stream.comments() >= 5, stream.comments() + " heartbeats");

      String user = "quiet-" + UUID.randomUUID();
      HttpJson.Answer accepted =
          server
              .http()
              .post(
                  "/v1/events",
                  HttpJson.json(
                      List.of(EndToEndContract.event("e-" + user, user, "email_click", "email"))));
      assertEquals(202, accepted.status(), accepted.body());
      stream.await(
          "the transition of " + user,
          events -> events.stream().anyMatch(event -> event.data().contains(user)),
          Duration.ofSeconds(30));

      // The timeouts are in force: a connection that sends nothing is closed.
      try (RawConnection silent = RawConnection.open("127.0.0.1", server.port())) {
        assertTrue(silent.awaitClosed(Duration.ofSeconds(3)).toMillis() < 3000);
      }
      assertFalse(stream.ended());
    }
  }
}
