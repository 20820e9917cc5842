package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node takes its admin key from its first request on. The node's catalog follows the key registry
 * only once a refresh interval; a node that starts fast (the second in a warm JVM) used to answer
 * 401 until the next refresh.
 */
class H2AdminKeyFirstRequestTest {

  @Test
  void everyNewNodeTakesItsAdminKeyFromItsFirstRequest() throws Exception {
    for (int node = 0; node < 3; node++) {
      try (TestDatabase database = TestDatabase.create(DatabaseKind.H2);
          TestServer server = new TestServer(database, Clock.systemUTC(), Map.of())) {
        HttpJson.Answer first = server.http().get("/v1/models");
        assertEquals(200, first.status(), "node " + node + ": " + first.body());
      }
    }
  }
}
