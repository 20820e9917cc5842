package io.pulse.api.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTreesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<String> differences(String expected, String actual) throws Exception {
    JsonNode was = MAPPER.readTree(expected);
    JsonNode is = MAPPER.readTree(actual);
    return JsonTrees.differences("", was, is);
  }

  @Test
  void anAddedFieldThatHoldsNothingIsNoDifference() throws Exception {
    assertEquals(
        List.of(),
        differences("{\"a\": 1}", "{\"a\": 1, \"traits\": {}, \"audiences\": [], \"n\": null}"));
  }

  @Test
  void anAddedFieldWithDataARemovedFieldAndAChangedValueAreDifferences() throws Exception {
    assertEquals(
        List.of("$.audiences: not expected, was [\"vip\"]"),
        differences("{\"a\": 1}", "{\"a\": 1, \"audiences\": [\"vip\"]}"));
    assertEquals(
        List.of("$.a: expected 1 but is missing"), differences("{\"a\": 1}", "{\"b\": {}}"));
    assertEquals(List.of("$.a: expected 1 but was 2"), differences("{\"a\": 1}", "{\"a\": 2}"));
  }
}
