package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    return event.problemAt(T0, InputLimits.DEFAULTS);
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

  @ParameterizedTest
  @ValueSource(
      strings = {"u\u0000x", "u\u0001", "tab\tbed", "new\nline", "u\u007f", "u\u0085", "u\u009f"})
  void aUserIdWithAControlCharacterIsAProblem(String userId) {
    assertProblemMentions(event("e-1", userId, "email_open", T0), "control characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", ".."})
  void aUserIdThatIsADotSegmentIsAProblem(String userId) {
    assertProblemMentions(event("e-1", userId, "email_open", T0), "'.' or '..'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"...", ".a", "a/b", "%2F", "?#", "a b", "u|1", "\u00a0x", "\ud83d\ude00"})
  void aUserIdWithPrintableCharactersIsFine(String userId) {
    assertEquals(Optional.empty(), problem(event("e-1", userId, "email_open", T0)));
  }

  @Test
  void aUserIdMayHaveAtMost256BytesOfUtf8() {
    // given: 4-byte, 2-byte and 1-byte characters
    String emoji = "\ud83d\ude00";
    assertEquals(Optional.empty(), problem(event("e-1", emoji.repeat(64), "email_open", T0)));
    assertEquals(Optional.empty(), problem(event("e-1", "\u00e9".repeat(128), "email_open", T0)));

    // then: one byte more is too long, whatever the number of characters
    assertProblemMentions(event("e-1", emoji.repeat(64) + "x", "email_open", T0), "256 bytes");
    assertProblemMentions(event("e-1", "\u00e9".repeat(128) + "x", "email_open", T0), "256 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\ud800", "a\udc00", "\ude00\ud83d", "x\ud83d"})
  void anUnpairedSurrogateAnywhereIsAProblemNamingTheField(String text) {
    assertProblemMentions(
        event("e-1", "u" + text, "email_open", T0), "userId is not valid Unicode");
    assertProblemMentions(event("e-1", "u-1", "open" + text, T0), "type is not valid Unicode");
    assertProblemMentions(
        event("e" + text, "u-1", "email_open", T0), "eventId is not valid Unicode");
    assertProblemMentions(
        purchaseWith(Map.of("campaign", "bf" + text)), "properties.campaign is not valid Unicode");
    assertProblemMentions(
        purchaseWith(Map.of("items", List.of("ok", Map.of("sku", text)))),
        "properties.items[1].sku is not valid Unicode");
    assertProblemMentions(
        purchaseWith(Map.of("nested", Map.of("k" + text, 1))),
        "a field name in properties.nested is not valid Unicode");
  }

  @Test
  void controlCharactersInPropertiesAreData() {
    assertEquals(Optional.empty(), problem(purchaseWith(Map.of("note", "line 1\nline 2\u0000"))));
  }

  @Test
  void aPropertyNumberThatIsNotFiniteIsAProblem() {
    assertProblemMentions(
        purchaseWith(Map.of("ratio", Double.POSITIVE_INFINITY)), "properties.ratio");
    assertProblemMentions(
        purchaseWith(Map.of("list", List.of(1, Double.NaN))), "properties.list[1]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"1900-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "1969-12-31T23:59:59Z"})
  void aTimestampBefore1970IsAProblem(String timestamp) {
    InputLimits forever =
        new InputLimits(1e9, 1e6, 1000, Duration.ofDays(365L * 1_000_000), Duration.ofMinutes(5));
    Optional<String> problem =
        event("e-1", "u-1", "email_open", Instant.parse(timestamp)).problemAt(T0, forever);
    assertTrue(problem.orElse("").contains("before 1970"), problem.toString());
    assertEquals(
        Optional.empty(), event("e-1", "u-1", "email_open", Instant.EPOCH).problemAt(T0, forever));
  }

  @Test
  void aTimestampOlderThanTheLargestEventAgeIsAProblem() {
    Instant oldest = T0.minus(Duration.ofDays(1825));
    assertEquals(Optional.empty(), problem(event("e-1", "u-1", "email_open", oldest)));
    assertProblemMentions(
        event("e-1", "u-1", "email_open", oldest.minusMillis(1)), "1825 days in the past");
    assertProblemMentions(
        event("e-1", "u-1", "email_open", Instant.parse("2000-01-01T00:00:00Z")), "in the past");
  }

  @Test
  void theFutureBoundFollowsTheLimits() {
    InputLimits strict =
        new InputLimits(1e9, 1e6, 1000, Duration.ofDays(30), Duration.ofSeconds(90));
    Optional<String> problem =
        event("e-1", "u-1", "email_open", T0.plusSeconds(91)).problemAt(T0, strict);
    assertEquals(Optional.of("timestamp is more than 90 seconds in the future"), problem);
  }

  @Test
  void aPurchaseAmountAboveTheLargestAmountIsAProblem() {
    assertEquals(Optional.empty(), problem(purchaseWith(Map.of("amount", 1e9))));
    assertEquals(Optional.empty(), problem(purchaseWith(Map.of("amount", 1_000_000_000L))));
    assertEquals(
        Optional.of("properties.amount of a purchase must be a number from 0 to 1000000000"),
        problem(purchaseWith(Map.of("amount", 1e308))));
    assertProblemMentions(purchaseWith(Map.of("amount", 1_000_000_000.01)), "1000000000");
    assertProblemMentions(
        purchaseWith(Map.of("amount", new java.math.BigInteger("1" + "0".repeat(40)))),
        "1000000000");
  }

  @Test
  void aPurchaseAmountThatIsAStringIsNotReadAsANumber() {
    assertEquals(
        Optional.of("properties.amount of a purchase must be a number, not a string"),
        problem(purchaseWith(Map.of("amount", "120"))));
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
