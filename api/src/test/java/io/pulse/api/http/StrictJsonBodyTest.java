package io.pulse.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pulse.api.json.CampaignDocument;
import io.pulse.api.json.ModelDocument;
import io.pulse.api.json.RedemptionRequest;
import io.pulse.api.json.StrictJsonMappers;
import io.pulse.api.json.SubscriptionRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Document bodies are read strictly, and every problem is told in the API's own words. */
class StrictJsonBodyTest {

  private static final ObjectMapper MAPPER = StrictJsonMappers.strict(JsonMapper.builder());

  private static final StrictJsonBody<ModelDocument> MODELS =
      new StrictJsonBody<>(
          MAPPER, ModelDocument.class, "invalid-model", "Invalid model", "a model");
  private static final StrictJsonBody<RedemptionRequest> REDEMPTIONS =
      new StrictJsonBody<>(
          MAPPER, RedemptionRequest.class, "invalid-redemption", "Invalid redemption", "{}");
  private static final StrictJsonBody<SubscriptionRequest> SUBSCRIPTIONS =
      new StrictJsonBody<>(
          MAPPER, SubscriptionRequest.class, "invalid-subscription", "Invalid", "{}");
  private static final StrictJsonBody<CampaignDocument> CAMPAIGNS =
      new StrictJsonBody<>(MAPPER, CampaignDocument.class, "invalid-campaign", "Invalid", "{}");

  private static Problem problem(StrictJsonBody<?> reader, String body) {
    Problem problem =
        assertThrows(
                Problem.Raised.class,
                () -> reader.read(ByteString.fromArray(body.getBytes(StandardCharsets.UTF_8))))
            .problem();
    for (String internal :
        List.of("java", "fasterxml", "Exception", "Constraints", "Feature", "`", "Coercion")) {
      assertFalse(problem.detail().contains(internal), problem.detail());
    }
    return problem;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"rules\": [{\"event\": \"a\", \"points\": \"5\"}]} | rules[0].points must be a number, not a string",
        "{\"rules\": [{\"event\": \"a\", \"points\": \"NaN\"}]} | rules[0].points must be a number, not a string",
        "{\"rules\": [{\"event\": \"a\", \"points\": 1e400}]} | rules[0].points is out of range",
        "{\"rules\": [{\"event\": 7, \"points\": 1}]} | rules[0].event must be a string, not a number",
        "{\"rules\": [{\"event\": true, \"points\": 1}]} | rules[0].event must be a string, not true or false",
        "{\"rules\": [{\"event\": \"a\", \"points\": 1, \"dailyCap\": 2.5}]} | rules[0].dailyCap must be a whole number, not a decimal number",
        "{\"rules\": [{\"event\": \"a\", \"points\": 1, \"dailyCap\": \"2\"}]} | rules[0].dailyCap must be a whole number, not a string",
        "{\"rules\": [], \"scale\": {\"min\": 1, \"max\": \"10\"}} | scale.max must be a number, not a string",
        "{\"rules\": [], \"rules\": []} | rules appears more than once",
        "{\"rules\": [{\"event\": \"a\", \"event\": \"b\"}]} | rules[0].event appears more than once",
        "{\"rules\": [], \"colour\": 1} | unknown field 'colour'",
        "{\"rules\": [{\"event\": \"a\", \"weight\": 1}]} | unknown field 'weight' at rules[0]",
        "{\"name\": \"a\\ud800\"} | name is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)",
        "{\"rules\": [{\"event\": \"a\", \"where\": {\"p\\udc00\": {}}}]} | a field name in rules[0].where is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)",
        "{\"\\ud800\": 1} | a field name is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)",
        "[] | the body must be an object, not an array",
      })
  void aModelIsReadWithoutCoercionAndItsProblemsNameTheField(String body, String detail) {
    Problem problem = problem(MODELS, body);
    assertEquals("urn:pulse:problem:invalid-model", problem.type());
    assertEquals(detail, problem.detail());
    assertEquals(List.of(detail), problem.errors());
  }

  @Test
  void otherDocumentsAreJustAsStrict() {
    assertEquals(
        "orderAmount must be a number, not a string",
        problem(REDEMPTIONS, "{\"userId\": \"u\", \"orderAmount\": \"120\"}").detail());
    assertEquals(
        "userId must be a string, not a number",
        problem(REDEMPTIONS, "{\"userId\": 5, \"orderAmount\": 1}").detail());
    assertEquals(
        "after must be a whole number, not a string",
        problem(SUBSCRIPTIONS, "{\"url\": \"https://a.example\", \"after\": \"3\"}").detail());
    assertEquals(
        "active must be true or false, not a number",
        problem(CAMPAIGNS, "{\"active\": 1}").detail());
    assertEquals(
        "minimumOrderAmount must be a number, not a string",
        problem(CAMPAIGNS, "{\"minimumOrderAmount\": \"50\"}").detail());
  }

  @Test
  void malformedJsonIsAProblemOfTheWholeBody() {
    for (String body :
        List.of(
            "{\"rules\": [}",
            "{\"rules\": []} trailing",
            "{\"rules\": NaN}",
            "{\"rules\": [" + "[".repeat(1500) + "]".repeat(1500) + "]}",
            "{\"rules\": ")) {
      Problem problem = problem(MODELS, body);
      assertEquals("urn:pulse:problem:invalid-json", problem.type(), problem.detail());
    }
    assertEquals("urn:pulse:problem:empty-body", problem(MODELS, " ").type());
  }

  @Test
  void aValidDocumentIsRead() {
    ModelDocument model =
        MODELS.read(
            ByteString.fromString(
                "{\"rules\": [{\"event\": \"a\", \"points\": 2, \"dailyCap\": 3,"
                    + " \"where\": {\"properties.n\": {\"gte\": 1.5}}}], \"halfLifeDays\": 30}"));
    assertEquals(2.0, model.rules().get(0).points());
    assertEquals(3, model.rules().get(0).dailyCap());
    assertEquals(30.0, model.halfLifeDays());
  }
}
