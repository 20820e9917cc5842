package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.emailOpen;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CustomerMetricsTest {

  private static final ScoringModels MODELS = ScoringModels.of(ScoringModel.defaultEngagement());

  private static CustomerMetrics metricsAfter(List<BehaviouralEvent> events) {
    return newUser().record(events, MODELS).state().metrics();
  }

  private static Instant daysAgo(long days) {
    return T0.minus(Duration.ofDays(days));
  }

  @Test
  void aNewUserHasNoMetrics() {
    // when
    CustomerMetrics metrics = newUser().metrics();

    // then
    assertEquals(CustomerMetrics.none(), metrics);
    assertEquals(0, metrics.events());
    assertEquals(OptionalDouble.empty(), metrics.averageOrderValue());
    assertEquals(0, metrics.purchaseFrequency(T0));
    assertFalse(metrics.repeatPurchaser());
    assertNull(metrics.firstSeen());
  }

  @Test
  void everyAcceptedEventIsCountedAndPurchasesAreOrders() {
    // when
    CustomerMetrics metrics =
        metricsAfter(
            List.of(
                emailOpen(daysAgo(3)),
                purchase(daysAgo(2), 100),
                emailOpen(daysAgo(2)),
                purchase(daysAgo(1), 50.5),
                purchase(T0, 29.5)));

    // then
    assertEquals(5, metrics.events());
    assertEquals(3, metrics.orders());
    assertEquals(180.0, metrics.revenue(), 1e-9);
    assertEquals(60.0, metrics.averageOrderValue().getAsDouble(), 1e-9);
    assertEquals(T0, metrics.lastPurchaseAt());
  }

  @Test
  void aDuplicatePurchaseIsNotCountedTwice() {
    // given
    BehaviouralEvent order = purchase(T0, 80);
    UserEngagement user = newUser().record(List.of(order), MODELS).state();

    // when
    CustomerMetrics metrics = user.record(List.of(order), MODELS).state().metrics();

    // then
    assertEquals(1, metrics.events());
    assertEquals(1, metrics.orders());
    assertEquals(80.0, metrics.revenue());
  }

  @Test
  void oneOrderIsNotARepeatPurchaseButTwoAre() {
    assertFalse(metricsAfter(List.of(purchase(T0, 10))).repeatPurchaser());
    assertTrue(
        metricsAfter(List.of(purchase(daysAgo(400), 10), purchase(T0, 10))).repeatPurchaser());
  }

  @Test
  void anEngagedUserWhoNeverBoughtHasNoAverageOrderValue() {
    // when
    CustomerMetrics metrics = metricsAfter(List.of(emailOpen(T0), emailOpen(T0)));

    // then
    assertEquals(2, metrics.events());
    assertEquals(0, metrics.orders());
    assertEquals(OptionalDouble.empty(), metrics.averageOrderValue());
    assertFalse(metrics.repeatPurchaser());
  }

  @Test
  void purchaseFrequencyCountsOrdersOfTheLast365DaysBeforeNow() {
    // given
    CustomerMetrics metrics =
        metricsAfter(
            List.of(
                purchase(daysAgo(500), 10),
                purchase(daysAgo(366), 10),
                purchase(daysAgo(364), 10),
                purchase(daysAgo(100), 10),
                purchase(daysAgo(1), 10)));

    // then
    assertEquals(5, metrics.orders());
    assertEquals(3, metrics.purchaseFrequency(T0));
    // read 200 days later the orders of 100 days and 1 day before T0 are within the year
    assertEquals(2, metrics.purchaseFrequency(T0.plus(Duration.ofDays(200))));
    // read 300 days later only the order of a day before T0 is
    assertEquals(1, metrics.purchaseFrequency(T0.plus(Duration.ofDays(300))));
    // read two years later nothing is
    assertEquals(0, metrics.purchaseFrequency(T0.plus(Duration.ofDays(730))));
  }

  @Test
  void purchaseFrequencyIgnoresOrdersAfterTheReadMoment() {
    // given
    CustomerMetrics metrics =
        metricsAfter(List.of(purchase(daysAgo(10), 10), purchase(daysAgo(5), 10)));

    // then
    assertEquals(1, metrics.purchaseFrequency(daysAgo(7)));
    assertEquals(2, metrics.purchaseFrequency(daysAgo(5)));
  }

  @Test
  void latePurchasesCountTowardsTheFrequency() {
    // given a recent order, then an older one arriving late
    CustomerMetrics metrics = metricsAfter(List.of(purchase(T0, 40), purchase(daysAgo(100), 20)));

    // then
    assertEquals(2, metrics.purchaseFrequency(T0));
    assertEquals(T0, metrics.lastPurchaseAt());
    assertEquals(30.0, metrics.averageOrderValue().getAsDouble(), 1e-9);
  }

  @Test
  void firstAndLastSeenHoldWithOutOfOrderTimestamps() {
    // when
    CustomerMetrics metrics =
        metricsAfter(
            List.of(
                emailOpen(T0),
                emailOpen(daysAgo(2)),
                emailOpen(T0.plus(Duration.ofDays(1))),
                emailOpen(daysAgo(1))));

    // then
    assertEquals(daysAgo(2), metrics.firstSeen());
    assertEquals(T0.plus(Duration.ofDays(1)), metrics.lastSeen());
  }

  @Test
  void metricsAreRecoveredFromTheJournal() {
    // given
    Recording recording =
        newUser()
            .record(
                List.of(purchase(daysAgo(3), 25), emailOpen(daysAgo(9)), purchase(T0, 75)), MODELS);

    // when
    UserEngagement recovered = TestEvents.replay(newUser(), recording.changes());

    // then
    assertEquals(recording.state().metrics(), recovered.metrics());
    assertEquals(2, recovered.metrics().purchaseFrequency(T0));
  }
}
