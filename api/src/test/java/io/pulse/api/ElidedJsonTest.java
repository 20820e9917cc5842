package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElidedJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void whatIsShownMustBeThereAndWhatIsElidedMayBeAnything() throws Exception {
    ElidedJson shown =
        ElidedJson.parse(
            "{\"userId\":\"u-42\",\"scores\":{\"engagement\":{\"score\":2.7773...,\"band\":\"low\","
                + "...}},\"key\":\"pulse_...\",\"at\":\"...\",\"next\":...,\"tags\":[\"a\",...]}");

    assertEquals(
        List.of(),
        shown.differences(
            json(
                "{\"userId\":\"u-42\",\"scores\":{\"engagement\":{\"score\":2.77735,\"band\":\"low\","
                    + "\"points\":10.99}},\"key\":\"pulse_x1\",\"at\":\"2026-12-06T09:21:05Z\","
                    + "\"next\":7,\"tags\":[\"a\",\"b\"]}")));
  }

  @Test
  void eachDifferenceIsNamedByItsPath() throws Exception {
    ElidedJson shown =
        ElidedJson.parse(
            "{\"accepted\":3,\"duplicates\":0,\"rejected\":[],\"score\":2.7773...,"
                + "\"key\":\"pulse_...\",\"from\":null}");

    assertEquals(
        List.of(
            "$.accepted: expected 3, was 2",
            "$.rejected: 0 elements shown, 1 answered",
            "$.score: expected 2.7773..., was 2.7775",
            "$.key: expected \"pulse_...\", was \"other\"",
            "$.from: expected null, was \"low\"",
            "$.extra: not shown, but answered"),
        shown.differences(
            json(
                "{\"accepted\":2,\"duplicates\":0,\"rejected\":[{}],\"score\":2.7775,"
                    + "\"key\":\"other\",\"from\":\"low\",\"extra\":1}")));
  }

  @Test
  void aNumberShownWithAnEllipsisAllowsOneUnitOfItsLastDigit() throws Exception {
    ElidedJson shown = ElidedJson.parse("{\"points\":10.9999...}");

    assertEquals(List.of(), shown.differences(json("{\"points\":11.0}")));
    assertEquals(List.of(), shown.differences(json("{\"points\":10.99985}")));
    assertEquals(1, shown.differences(json("{\"points\":10.9997}")).size());
    assertEquals(1, shown.differences(json("{\"points\":\"10.9999\"}")).size());
  }

  @Test
  void textThatIsNotElidedJsonIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ElidedJson.parse("{\"a\":1"));
    assertThrows(IllegalArgumentException.class, () -> ElidedJson.parse("{\"a\":1} trailing"));
    assertThrows(IllegalArgumentException.class, () -> ElidedJson.parse("[..., 1]"));
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
