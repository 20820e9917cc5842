package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BehaviouralEventTest {

  private static BehaviouralEvent event(String eventId, String userId, String type, Instant at) {
    return new BehaviouralEvent(eventId, userId, type, Channel.EMAIL, at, Map.of());
  }

  private static BehaviouralEvent purchaseWith(Map<String, Object> properties) {
    return new BehaviouralEvent("e-1", "u-1", "purchase", Channel.WEB, T0, properties);
  }

  private static Optional<String> problem(BehaviouralEvent event) {
    return event.problemAt(T0);
  }

  private static void assertProblemMentions(BehaviouralEvent event, String fragment) {
    Optional<String> problem = problem(event);
    assertTrue(problem.isPresent(), "expected a problem mentioning " + fragment);
    assertTrue(problem.get().contains(fragment), problem.get());
  }

  @Test
  void aWellFormedEventHasNoProblem() {
    assertEquals(Optional.empty(), problem(event("e-1", "u-1", "email_open", T0)));
    assertEquals(Optional.empty(), problem(purchaseWith(Map.of("amount", 0))));
    assertEquals(Optional.empty(), problem(purchaseWith(Map.of("amount", 12.5))));
    assertEquals(Optional.empty(), problem(purchaseWith(Map.of())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void aBlankUserIdIsAProblem(String userId) {
    assertProblemMentions(event("e-1", userId, "email_open", T0), "userId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void aBlankTypeIsAProblem(String type) {
    assertProblemMentions(event("e-1", "u-1", type, T0), "type");
  }

  @Test
  void idsAndTypesMayHaveAtMost256Characters() {
    String longest = "x".repeat(256);
    String tooLong = "x".repeat(257);
    assertEquals(Optional.empty(), problem(event(longest, longest, longest, T0)));
    assertProblemMentions(event("e-1", tooLong, "email_open", T0), "userId");
    assertProblemMentions(event("e-1", "u-1", tooLong, T0), "type");
    assertProblemMentions(event(tooLong, "u-1", "email_open", T0), "eventId");
    assertProblemMentions(event(" ", "u-1", "email_open", T0), "eventId");
  }

  @Test
  void aTimestampMoreThanFiveMinutesAheadIsAProblem() {
    assertEquals(
        Optional.empty(),
        problem(event("e-1", "u-1", "email_open", T0.plus(Duration.ofMinutes(5)))));
    assertProblemMentions(
        event("e-1", "u-1", "email_open", T0.plus(Duration.ofMinutes(5)).plusMillis(1)), "future");
    assertProblemMentions(event("e-1", "u-1", "email_open", T0.plus(Duration.ofDays(1))), "future");
  }

  @Test
  void timestampsInThePastAreFine() {
    assertEquals(
        Optional.empty(),
        problem(event("e-1", "u-1", "email_open", T0.minus(Duration.ofDays(900)))));
  }

  @Test
  void aNegativePurchaseAmountIsAProblem() {
    assertProblemMentions(purchaseWith(Map.of("amount", -0.01)), "amount");
    assertProblemMentions(purchaseWith(Map.of("amount", -5)), "amount");
  }

  @Test
  void aPurchaseAmountThatIsNotANumberIsAProblem() {
    assertProblemMentions(purchaseWith(Map.of("amount", "12.50")), "amount");
    assertProblemMentions(purchaseWith(Map.of("amount", true)), "amount");
    assertProblemMentions(purchaseWith(Map.of("amount", Map.of("value", 12))), "amount");
  }

  @Test
  void aPurchaseAmountThatIsNotFiniteIsAProblem() {
    assertProblemMentions(purchaseWith(Map.of("amount", Double.POSITIVE_INFINITY)), "amount");
    assertProblemMentions(purchaseWith(Map.of("amount", Double.NaN)), "amount");
  }

  @Test
  void onlyPurchasesHaveTheirAmountChecked() {
    BehaviouralEvent refund =
        new BehaviouralEvent("e-1", "u-1", "refund", Channel.WEB, T0, Map.of("amount", -30));
    assertEquals(Optional.empty(), problem(refund));
    assertEquals(OptionalDouble.empty(), refund.orderAmount());
  }

  @Test
  void aPurchaseCarriesItsOrderAmount() {
    assertEquals(OptionalDouble.of(42.5), purchaseWith(Map.of("amount", 42.5)).orderAmount());
    assertEquals(OptionalDouble.of(42.0), purchaseWith(Map.of("amount", 42L)).orderAmount());
  }

  @Test
  void missingPropertiesAreEmpty() {
    BehaviouralEvent event =
        new BehaviouralEvent("e-1", "u-1", "email_open", Channel.EMAIL, T0, null);
    assertEquals(Map.of(), event.properties());
    assertEquals(Optional.empty(), event.valueAt("properties.anything"));
  }

  @Test
  void channelsHaveLowerCaseWireNames() {
    assertEquals("in_app", Channel.IN_APP.wireName());
    assertEquals(Optional.of(Channel.IN_APP), Channel.fromWireName("in_app"));
    assertEquals(Optional.of(Channel.EMAIL), Channel.fromWireName("email"));
    assertEquals(Optional.empty(), Channel.fromWireName("EMAIL"));
    assertEquals(Optional.empty(), Channel.fromWireName("fax"));
    assertEquals(Optional.empty(), Channel.fromWireName(null));
    assertEquals("email, push, sms, web, app, in_app, other", Channel.wireNames());
  }
}
