package io.pulse.loadtest.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventMixTest {

  @Test
  void defaultWeightsAddUpToAHundredAndCoverEveryType() {
    EventMix mix = EventMix.defaults();
    int total = mix.weightsByName().values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(100, total);
    for (EventType type : EventType.values()) {
      assertEquals(true, mix.probability(type) > 0, type + " is in the default mix");
    }
    assertEquals(0.30, mix.probability(EventType.EMAIL_OPEN), 1e-12);
    assertEquals(0.05, mix.probability(EventType.PURCHASE), 1e-12);
  }

  @Test
  void picksFollowTheWeights() {
    EventMix mix = EventMix.defaults();
    FastRandom random = new FastRandom(99);
    int samples = 500_000;
    Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
    for (int i = 0; i < samples; i++) {
      counts.merge(mix.pick(random), 1, Integer::sum);
    }
    for (EventType type : EventType.values()) {
      double expected = mix.probability(type);
      double observed = counts.getOrDefault(type, 0) / (double) samples;
      // Five standard deviations of a binomial proportion.
      double tolerance = 5 * Math.sqrt(expected * (1 - expected) / samples);
      assertEquals(expected, observed, tolerance, type.wireName());
    }
  }

  @Test
  void parsedMixLeavesOutUnlistedTypes() {
    EventMix mix = EventMix.parse("purchase=1, email_open=3");
    assertEquals(0.25, mix.probability(EventType.PURCHASE), 1e-12);
    assertEquals(0.75, mix.probability(EventType.EMAIL_OPEN), 1e-12);
    assertEquals(0, mix.probability(EventType.PAGE_VIEW));
    FastRandom random = new FastRandom(1);
    for (int i = 0; i < 10_000; i++) {
      EventType type = mix.pick(random);
      assertEquals(true, type == EventType.PURCHASE || type == EventType.EMAIL_OPEN, type.name());
    }
    assertEquals("email_open=3,purchase=1", mix.spec());
  }

  @Test
  void channelsMatchTheEventTypes() {
    assertEquals("email", EventType.EMAIL_OPEN.channel());
    assertEquals("email", EventType.EMAIL_CLICK.channel());
    assertEquals("push", EventType.PUSH_CLICK.channel());
    assertEquals("web", EventType.PAGE_VIEW.channel());
    assertEquals("app", EventType.APP_SESSION.channel());
    assertEquals("web", EventType.PURCHASE.channel());
  }

  @Test
  void rejectsBadSpecs() {
    assertThrows(IllegalArgumentException.class, () -> EventMix.parse("email_open"));
    assertThrows(IllegalArgumentException.class, () -> EventMix.parse("tweet=3"));
    assertThrows(IllegalArgumentException.class, () -> EventMix.parse("purchase=-1,page_view=2"));
    assertThrows(IllegalArgumentException.class, () -> EventMix.parse("purchase=0"));
    assertThrows(IllegalArgumentException.class, () -> EventMix.parse("purchase=x"));
  }
}
