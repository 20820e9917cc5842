package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An acknowledged event survives the server process: killed with SIGKILL right after a 202, or
 * stopped cleanly, a server started again on the same database holds every acknowledged event.
 */
class ProcessDurabilityTest {

  private static final int USERS = 10;
  private static final int REQUESTS = 20;
  private static final int EVENTS_PER_REQUEST = 50;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void everyAcknowledgedEventSurvivesSigkill(DatabaseKind kind) {
    survives(kind, ServerProcess::kill);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void everyAcknowledgedEventSurvivesACleanStop(DatabaseKind kind) {
    survives(kind, ServerProcess::terminate);
  }

  private void survives(DatabaseKind kind, Consumer<ServerProcess> stop) {
    try (TestDatabase database = TestDatabase.create(kind);
        ServerProcess server = new ServerProcess(database)) {
      server.start();
      HttpJson http = server.http();
      String prefix = "d-" + UUID.randomUUID();
      Map<String, Integer> acknowledged = new HashMap<>();
      for (int request = 0; request < REQUESTS; request++) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_REQUEST; i++) {
          String userId = prefix + "-" + (i % USERS);
          batch.add(
              Map.of(
                  "eventId",
                  prefix + "-" + request + "-" + i,
                  "userId",
                  userId,
                  "type",
                  "app_session",
                  "channel",
                  "app"));
        }
        HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(batch));
        assertEquals(202, answer.status(), answer.body());
        assertEquals(EVENTS_PER_REQUEST, answer.json().get("accepted").asInt());
        for (Map<String, Object> event : batch) {
          acknowledged.merge((String) event.get("userId"), 1, Integer::sum);
        }
      }
      // The last 202 has just arrived: stop at once.
      stop.accept(server);

      server.start();
      HttpJson restarted = server.http();
      for (Map.Entry<String, Integer> user : acknowledged.entrySet()) {
        HttpJson.Answer read = restarted.get("/v1/users/" + user.getKey());
        assertEquals(200, read.status(), read.body() + "\n" + server.log());
        JsonNode body = read.json();
        assertEquals(user.getValue().intValue(), body.get("metrics").get("events").asInt());
        // app_session is worth 2 points; seconds of a 30-day half-life decay are negligible.
        double points = body.get("scores").get("engagement").get("points").asDouble();
        assertEquals(2.0 * user.getValue(), points, 2.0 * user.getValue() * 1e-4);
      }
    }
  }
}
