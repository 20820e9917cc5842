package io.pulse.loadtest.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void batchesAreValidJsonArraysOfCompleteEvents() throws Exception {
    EventGenerator generator =
        new EventGenerator(EventMix.defaults(), new UniformUserSampler(1000), "u-", "test-0", 0, 1);
    JsonBuffer buffer = new JsonBuffer(64);
    Set<String> eventIds = new HashSet<>();
    Map<String, Integer> types = new HashMap<>();
    long now = Instant.parse("2026-11-22T10:00:00.042Z").toEpochMilli();
    for (int batch = 0; batch < 50; batch++) {
      buffer.reset(0);
      generator.writeBatch(buffer, 200, now + batch);
      JsonNode events = JSON.readTree(Arrays.copyOf(buffer.array(), buffer.length()));
      assertTrue(events.isArray());
      assertEquals(200, events.size());
      for (JsonNode event : events) {
        assertTrue(eventIds.add(event.get("eventId").asText()), "event ids are unique");
        assertTrue(event.get("userId").asText().matches("u-\\d{1,3}"));
        EventType type = EventType.fromWireName(event.get("type").asText());
        assertEquals(type.channel(), event.get("channel").asText());
        assertEquals(now + batch, Instant.parse(event.get("timestamp").asText()).toEpochMilli());
        JsonNode properties = event.get("properties");
        assertTrue(properties.isObject() && properties.size() >= 2, event.toString());
        if (type == EventType.PURCHASE) {
          assertTrue(properties.get("amount").isNumber(), "amount is a JSON number");
          double amount = properties.get("amount").asDouble();
          assertTrue(amount >= 1.0 && amount <= 5000.0, "amount " + amount);
          assertEquals("EUR", properties.get("currency").asText());
        }
        types.merge(type.wireName(), 1, Integer::sum);
      }
    }
    assertEquals(EventType.values().length, types.size(), "every type appears: " + types);
    assertEquals(10_000, generator.eventsWritten());
  }

  @Test
  void duplicatesResendEarlierEventsByteForByte() throws Exception {
    EventGenerator generator =
        new EventGenerator(EventMix.defaults(), new ZipfSampler(100, 1.0), "u-", "dup", 0.25, 3);
    JsonBuffer buffer = new JsonBuffer(64);
    Map<String, JsonNode> originals = new HashMap<>();
    long duplicates = 0;
    long events = 0;
    for (int batch = 0; batch < 40; batch++) {
      buffer.reset(0);
      int reported = generator.writeBatch(buffer, 100, 1_700_000_000_000L + batch * 1000L);
      JsonNode array = JSON.readTree(Arrays.copyOf(buffer.array(), buffer.length()));
      Set<String> inThisBatch = new HashSet<>();
      int found = 0;
      for (JsonNode event : array) {
        String id = event.get("eventId").asText();
        JsonNode earlier = originals.get(id);
        if (earlier != null) {
          found++;
          assertEquals(earlier, event, "a duplicate repeats the whole event");
          assertTrue(!inThisBatch.contains(id), "duplicates come from earlier batches only");
        } else {
          originals.put(id, event);
          inThisBatch.add(id);
        }
      }
      assertEquals(reported, found);
      duplicates += found;
      events += array.size();
    }
    assertEquals(generator.duplicatesWritten(), duplicates);
    // The first batch cannot repeat anything, so slightly under a quarter of all events.
    double ratio = duplicates / (double) events;
    assertTrue(ratio > 0.2 && ratio < 0.27, "duplicate ratio " + ratio);
  }

  @Test
  void purchaseAmountsAreLogNormalAroundFortyFive() {
    FastRandom random = new FastRandom(5);
    long[] cents = new long[100_001];
    for (int i = 0; i < cents.length; i++) {
      cents[i] = EventGenerator.purchaseCents(random);
    }
    Arrays.sort(cents);
    assertEquals(4500, cents[cents.length / 2], 100, "median near 45.00");
    assertTrue(cents[0] >= 100 && cents[cents.length - 1] <= 500_000);
  }

  @Test
  void stringsAreEscapedAndEncodedAsUtf8() throws Exception {
    List<String> samples =
        List.of(
            "plain",
            "quote \" backslash \\ slash /",
            "controls \n \r \t \b \f \u0001 \u001f",
            "accents é ü ß, CJK 漢字, emoji 😀",
            "lone surrogate \ud800 end");
    for (String sample : samples) {
      JsonBuffer buffer = new JsonBuffer(4);
      buffer.append((byte) '[').appendString(sample).append((byte) ']');
      JsonNode parsed = JSON.readTree(Arrays.copyOf(buffer.array(), buffer.length()));
      String expected = sample.replace('\ud800', '\ufffd');
      assertEquals(expected, parsed.get(0).asText());
    }
  }

  @Test
  void numbersRoundTrip() throws Exception {
    long[] values = {0, 7, -7, 10, 99, 100, 1_234_567_890_123L, Long.MAX_VALUE, Long.MIN_VALUE};
    for (long value : values) {
      JsonBuffer buffer = new JsonBuffer(1);
      buffer.appendLong(value);
      assertEquals(value, JSON.readTree(Arrays.copyOf(buffer.array(), buffer.length())).asLong());
    }
    JsonBuffer cents = new JsonBuffer(1);
    cents.append((byte) '[').appendCents(4599).append((byte) ',').appendCents(5);
    cents.append((byte) ',').appendCents(-120).append((byte) ']');
    byte[] written = Arrays.copyOf(cents.array(), cents.length());
    assertEquals("[45.99,0.05,-1.20]", new String(written, StandardCharsets.US_ASCII));
    JsonNode parsed = JSON.readTree(written);
    assertEquals(-1.2, parsed.get(2).asDouble(), 1e-12);
  }

  @Test
  void userPrefixIsEscapedIntoTheUserId() throws Exception {
    EventGenerator generator =
        new EventGenerator(
            EventMix.parse("page_view=1"), new UniformUserSampler(1), "tenant \"a\"/", "p", 0, 1);
    JsonBuffer buffer = new JsonBuffer(16);
    generator.writeBatch(buffer, 1, 0);
    JsonNode event = JSON.readTree(Arrays.copyOf(buffer.array(), buffer.length())).get(0);
    assertEquals("tenant \"a\"/0", event.get("userId").asText());
    assertEquals("1970-01-01T00:00:00.000Z", event.get("timestamp").asText());
    assertEquals("page_view", event.get("type").asText());
  }
}
