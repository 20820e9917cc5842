package io.pulse.loadtest.ceiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JournalRowsTest {
  private final CBORMapper cbor = new CBORMapper();

  @Test
  void payloadIsACborEventOfAboutOneHundredFiftyBytes() throws Exception {
    JournalRows rows = new JournalRows(100_000);
    long row = 1_234_567;
    byte[] payload = rows.payload(row);
    JsonNode event = cbor.readTree(payload);

    assertTrue(event.get("eventId").asText().endsWith("-1234567"), event.toString());
    assertEquals("u-34567", event.get("userId").asText());
    assertEquals("page_view", event.get("type").asText());
    assertEquals("web", event.get("channel").asText());
    assertEquals(rows.writeTimestamp(row), event.get("occurredAt").asLong());
    assertEquals(rows.writeTimestamp(row) + 3, event.get("receivedAt").asLong());
    assertEquals("winback-30d", event.at("/properties/campaign").asText());
    assertEquals(1 + row % 40, event.at("/properties/templateId").asLong());
    assertTrue(payload.length >= 130 && payload.length <= 180, "length " + payload.length);
  }

  @Test
  void writtenPersistenceIdMatchesTheString() {
    JournalRows rows = new JournalRows(1000);
    byte[] buffer = new byte[64];
    for (long row : new long[] {0, 9, 10, 999, 1000, 123_456_789}) {
      int length = rows.writePersistenceId(row, buffer, 3);
      assertEquals(rows.persistenceId(row), new String(buffer, 3, length, StandardCharsets.UTF_8));
    }
    assertEquals("user|default|u-999", rows.persistenceId(999));
    assertEquals(1, rows.sequenceNumber(999));
    assertEquals(2, rows.sequenceNumber(1000));
  }

  @Test
  void largeNumbersUseWiderCborIntegers() throws Exception {
    JournalRows rows = new JournalRows(Long.MAX_VALUE);
    long row = 5_000_000_000L;
    JsonNode event = cbor.readTree(rows.payload(row));
    assertEquals("u-" + row, event.get("userId").asText());
    assertEquals(1 + row % 40, event.at("/properties/templateId").asLong());
  }
}
