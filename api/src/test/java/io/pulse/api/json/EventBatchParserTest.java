package io.pulse.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pulse.api.http.Problem;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.EventRefusal;
import io.pulse.engine.domain.InputLimits;
import io.pulse.engine.domain.profile.TraitLimits;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventBatchParserTest {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  /** The factory of the server's mapper, which detects duplicate keys for document bodies. */
  private static final JsonFactory FACTORY =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build()
          .getFactory();

  private final EventBatchParser parser =
      new EventBatchParser(
          FACTORY,
          Clock.fixed(NOW, ZoneOffset.UTC),
          1000,
          InputLimits.DEFAULTS,
          new TraitLimits(3, 16, 64));

  private ParsedEvents parse(String body) {
    return parser.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String valid(String userId) {
    return "{\"eventId\": \"e-"
        + userId
        + "\", \"userId\": \""
        + userId
        + "\", \"type\": \"view\"}";
  }

  /** The problem of a batch of one valid event, the event under test, and another valid one. */
  private String problemBetweenSiblings(String event) {
    ParsedEvents parsed = parse("[" + valid("a") + ", " + event + ", " + valid("b") + "]");
    assertEquals(List.of("a", "b"), parsed.valid().stream().map(BehaviouralEvent::userId).toList());
    assertEquals(1, parsed.rejected().size(), parsed.rejected().toString());
    assertEquals(1, parsed.rejected().get(0).index());
    return parsed.rejected().get(0).error();
  }

  @Test
  void aDuplicateFieldCostsOnlyItsEvent() {
    assertEquals(
        "userId appears more than once",
        problemBetweenSiblings("{\"userId\": \"x\", \"userId\": \"y\", \"type\": \"view\"}"));
    assertEquals(
        "type appears more than once",
        problemBetweenSiblings("{\"userId\": \"x\", \"type\": \"a\", \"type\": null}"));
    assertEquals(
        "properties.a.b appears more than once",
        problemBetweenSiblings(
            "{\"userId\": \"x\", \"type\": \"v\", \"properties\": {\"a\": {\"b\": 1, \"b\": 1}}}"));
  }

  @Test
  void anUnknownFieldCostsOnlyItsEvent() {
    assertEquals(
        "unknown field 'colour' (free-form data belongs in properties)",
        problemBetweenSiblings("{\"userId\": \"x\", \"type\": \"view\", \"colour\": {\"r\": 1}}"));
  }

  @Test
  void aValueOfTheWrongKindIsNotCoerced() {
    assertEquals(
        "userId must be a string", problemBetweenSiblings("{\"userId\": 42, \"type\": \"view\"}"));
    assertEquals(
        "timestamp must be a string",
        problemBetweenSiblings(
            "{\"userId\": \"x\", \"type\": \"view\", \"timestamp\": 1700000000}"));
    assertEquals(
        "properties.amount of a purchase must be a number, not a string",
        problemBetweenSiblings(
            "{\"userId\": \"x\", \"type\": \"purchase\", \"properties\": {\"amount\": \"120\"}}"));
  }

  @Test
  void textThatIsNotUnicodeCostsOnlyItsEventWhereverItIs() {
    assertEquals(
        "userId is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)",
        problemBetweenSiblings("{\"userId\": \"x\\ud800\", \"type\": \"view\"}"));
    assertEquals(
        "properties.list[1] is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)",
        problemBetweenSiblings(
            "{\"userId\": \"x\", \"type\": \"v\", \"properties\": {\"list\": [\"ok\", \"\\udc00\"]}}"));
    assertEquals(
        "a field name in properties is not valid Unicode text (invalid UTF-8 or an unpaired"
            + " surrogate)",
        problemBetweenSiblings(
            "{\"userId\": \"x\", \"type\": \"v\", \"properties\": {\"k\\ud800\": 1}}"));
    assertEquals(
        "a field name is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)",
        problemBetweenSiblings("{\"userId\": \"x\", \"type\": \"v\", \"\\ud800\": 1}"));
  }

  @Test
  void invalidUtf8InAStringCostsOnlyItsEvent() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("[" + valid("a") + ", {\"userId\": \"x\", \"type\": \"v")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    body.writeBytes(("\"}, " + valid("b") + "]").getBytes(StandardCharsets.UTF_8));

    ParsedEvents parsed = parser.parse(body.toByteArray());

    assertEquals(2, parsed.valid().size());
    assertEquals(
        "type is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)",
        parsed.rejected().get(0).error());
  }

  @Test
  void invalidUtf8OutsideAStringIsMalformedJson() {
    Problem.Raised raised =
        assertThrows(Problem.Raised.class, () -> parser.parse(new byte[] {'[', (byte) 0xC3, ']'}));
    assertEquals("urn:pulse:problem:invalid-json", raised.problem().type());
  }

  @Test
  void aNumberBeyondADoubleCostsOnlyItsEventAndBigIntegersAreKept() {
    assertEquals(
        "properties.ratio is a number out of range",
        problemBetweenSiblings(
            "{\"userId\": \"x\", \"type\": \"v\", \"properties\": {\"ratio\": 1e400}}"));

    ParsedEvents parsed =
        parse(
            "{\"userId\": \"x\", \"type\": \"v\", \"properties\": {\"id\": 123456789012345678901234567890}}");
    assertEquals(
        Map.of("id", new BigInteger("123456789012345678901234567890")),
        parsed.valid().get(0).properties());
  }

  @Test
  void malformedJsonIsDescribedInThisApisOwnWords() {
    for (String body :
        List.of(
            "{\"userId\": \"a\", \"type\": \"v\", \"properties\": {\"n\": NaN}}",
            "{'userId': 'a'}",
            "[{\"userId\": \"a\"",
            "{\"userId\": \"a\", \"type\": \"v\", \"properties\": {\"n\": "
                + "9".repeat(1500)
                + "}}",
            "[" + "[".repeat(1500) + "]".repeat(1500) + "]")) {
      Problem.Raised raised = assertThrows(Problem.Raised.class, () -> parse(body));
      assertEquals(400, raised.problem().status());
      String detail = raised.problem().detail();
      for (String internal :
          List.of("java", "fasterxml", "Exception", "Constraints", "Feature", "`")) {
        assertFalse(detail.contains(internal), detail);
      }
    }
    assertTrue(
        assertThrows(Problem.Raised.class, () -> parse("{\"n\": NaN}"))
            .problem()
            .detail()
            .contains("NaN and Infinity are not JSON numbers"));
  }

  @Test
  void anIdentifyEventCarriesAMergePatchOfTraitsWithNullsThatRemove() {
    ParsedEvents parsed =
        parse(
            "{\"userId\": \"u\", \"type\": \"identify\","
                + " \"traits\": {\"plan\": \"pro\", \"age\": 41, \"nickname\": null}}");
    assertEquals(List.of(), parsed.rejected());
    Map<String, Object> traits = parsed.valid().get(0).traits();
    assertEquals("pro", traits.get("plan"));
    assertEquals(41, ((Number) traits.get("age")).intValue());
    assertTrue(traits.containsKey("nickname"));
    assertEquals(null, traits.get("nickname"));
    assertEquals(null, parse(valid("v")).valid().get(0).traits());
  }

  @Test
  void badTraitsCostOnlyTheirEvent() {
    assertEquals(
        "traits belong to identify events only",
        problemBetweenSiblings("{\"userId\": \"x\", \"type\": \"view\", \"traits\": {}}"));
    assertEquals(
        "traits must be a JSON object",
        problemBetweenSiblings("{\"userId\": \"x\", \"type\": \"identify\", \"traits\": 3}"));
    assertTrue(
        problemBetweenSiblings(
                "{\"userId\": \"x\", \"type\": \"identify\", \"traits\": {\"a\": 1, \"b\": 2,"
                    + " \"c\": 3, \"d\": 4}}")
            .startsWith("traits: "));
    assertTrue(
        problemBetweenSiblings(
                "{\"userId\": \"x\", \"type\": \"identify\", \"traits\": {\"a\": {\"b\": 1}}}")
            .startsWith("traits: "));
    assertEquals(
        "traits appears more than once",
        problemBetweenSiblings(
            "{\"userId\": \"x\", \"type\": \"identify\", \"traits\": {}, \"traits\": {}}"));
  }

  @Test
  void refusalsByTheUsersStateAreReportedAtTheirPositionInTheRequest() {
    ParsedEvents parsed =
        parse("[" + valid("a") + ", {\"type\": \"view\"}, " + valid("b") + ", " + valid("c") + "]");
    List<EventRejection> all =
        parsed.rejectedWith(List.of(new EventRefusal("e-c", "too many traits")));
    assertEquals(
        List.of(
            new EventRejection(1, "userId is required"), new EventRejection(3, "too many traits")),
        all);
  }
}
