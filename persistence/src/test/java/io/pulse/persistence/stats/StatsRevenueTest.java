package io.pulse.persistence.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.InputLimits;
import io.pulse.engine.domain.Saturating;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The revenue of {@code GET /v1/stats} stays a finite sum whatever the journal holds: exact for
 * many purchases at the largest accepted amount, and saturated, never infinite, for amounts
 * journaled before the bounds existed.
 */
class StatsRevenueTest {

  static final Instant NOW = Instant.parse("2026-11-22T12:30:00Z");

  private static ScoredEvent purchase(int n, double amount) {
    BehaviouralEvent event =
        new BehaviouralEvent(
            "p-" + n, "u-" + n, "purchase", Channel.WEB, NOW, Map.of("amount", amount));
    return new ScoredEvent(event, List.of(), true, 1, null);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void revenueIsExactForTheLargestAmountsAndSaturatesInsteadOfOverflowing(DatabaseKind kind)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind);
        StatsStore store = new StatsStore(database.settings(), "stats-revenue", 1)) {
      // given: 10,000 purchases at the largest amount, in ten batches
      double largest = InputLimits.DEFAULTS.maxAmount();
      long offset = 0;
      for (int batch = 0; batch < 10; batch++) {
        StatsDelta delta = new StatsDelta();
        for (int i = 0; i < 1000; i++) {
          delta.add(purchase(batch * 1000 + i, largest));
        }
        store.record(
            Map.of("default", delta),
            "stats-customer",
            offset == 0 ? OptionalLong.empty() : OptionalLong.of(offset),
            offset + 1000);
        offset += 1000;
      }

      // then: every cent counted
      EngagementStats exact = store.read("default", NOW);
      assertEquals(10_000, exact.orders());
      assertEquals(1e13, exact.revenue());
      assertEquals(largest, exact.averageOrderValue().getAsDouble());

      // when: amounts far beyond the bounds, as a journal written before them may hold
      for (int batch = 0; batch < 3; batch++) {
        StatsDelta delta = new StatsDelta();
        delta.add(purchase(20_000 + 2 * batch, 1e308));
        delta.add(purchase(20_001 + 2 * batch, 1e308));
        assertTrue(Double.isFinite(delta.revenue), "batch sum " + delta.revenue);
        store.record(
            Map.of("default", delta), "stats-customer", OptionalLong.of(offset), offset + 2);
        offset += 2;
      }

      // then: the sum is held at the saturation limit and every ratio stays finite
      EngagementStats saturated = store.read("default", NOW);
      assertEquals(10_006, saturated.orders());
      assertEquals(Saturating.LIMIT, saturated.revenue());
      assertTrue(Double.isFinite(saturated.averageOrderValue().getAsDouble()));
    }
  }
}
