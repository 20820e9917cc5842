package io.pulse.engine.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.InputLimits;
import io.pulse.engine.domain.ScoredEvent;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal and the edge agree on text: every string an event may hold (any code point, control
 * characters in properties, numbers beyond a long) comes back from the journal exactly, and a
 * string the edge refuses, one with an unpaired surrogate, makes the serializer fail loudly rather
 * than store something else. The edge is the only place that keeps such text out; the serializer
 * never repairs it.
 */
class JournalTextTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static ActorTestKit testKit;
  private static SerializerWithStringManifest serializer;

  @BeforeAll
  static void startSystem() throws Exception {
    testKit =
        ActorTestKit.create("JournalTextTest", EngineTestConfig.resolve(EngineTestConfig.engine()));
    serializer =
        (SerializerWithStringManifest)
            SerializationExtension.get(Adapter.toClassic(testKit.system()))
                .serializerFor(ScoredEvent.class);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static ScoredEvent scored(String userId, Map<String, Object> properties) {
    return new ScoredEvent(
        new BehaviouralEvent("e-1", userId, "page_view", Channel.WEB, T0, properties),
        List.of(),
        true,
        0,
        null);
  }

  private static Object roundTrip(Object change) throws Exception {
    byte[] bytes = serializer.toBinary(change);
    return serializer.fromBinary(bytes, serializer.manifest(change));
  }

  @Test
  void everyTextTheEdgeAcceptsComesBackExactly() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      StringBuilder id = new StringBuilder();
      StringBuilder value = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        int codePoint = random.nextInt(0x110000);
        if (codePoint >= 0xD800 && codePoint <= 0xDFFF) {
          continue;
        }
        value.appendCodePoint(codePoint);
        if (codePoint > 0x9F) {
          id.appendCodePoint(codePoint);
        }
      }
      String userId = "u" + id;
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("text", value.toString());
      properties.put(value.toString(), List.of("\u0000\u001f\u007f", "\ud83d\ude00"));
      properties.put("big", new BigInteger("123456789012345678901234567890"));
      ScoredEvent change =
          scored(userId.length() > 60 ? userId.substring(0, 60) : userId, properties);
      assertEquals(
          Optional.empty(), change.event().problemAt(T0, InputLimits.DEFAULTS), "accepted");

      assertEquals(change, roundTrip(change));
    }
  }

  @Test
  void textThatIsNotUnicodeFailsTheSerializerLoudly() {
    ScoredEvent inProperties = scored("u-1", Map.of("x", "\ud800"));
    ScoredEvent inUserId = scored("u-\udc00", Map.of());

    // The edge refuses both ...
    assertTrue(inProperties.event().problemAt(T0, InputLimits.DEFAULTS).isPresent());
    assertTrue(inUserId.event().problemAt(T0, InputLimits.DEFAULTS).isPresent());
    // ... and were one to get past it, the write would fail, not store a replacement character.
    assertThrows(RuntimeException.class, () -> serializer.toBinary(inProperties));
    assertThrows(RuntimeException.class, () -> serializer.toBinary(inUserId));
  }
}
