package io.pulse.api.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.api.HttpJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the read API answers about a whole server: models, users and their vouchers, every page of
 * the transition feed, statistics, campaigns and their results, subscriptions and their dead
 * letters. The same set serves as the fixture's expected answers and as what a test compares before
 * and after a restart.
 */
final class ApiAnswers {

  /** Transitions per page: small, so that the feed is read over several pages. */
  static final int PAGE = 50;

  private ApiAnswers() {}

  /** Every answer, by request path, for {@code users}; each must be a {@code 200}. */
  static Map<String, JsonNode> collect(HttpJson http, List<String> users) {
    Map<String, JsonNode> answers = new LinkedHashMap<>();
    JsonNode models = get(http, "/v1/models", answers);
    for (JsonNode model : models.get("models")) {
      get(http, "/v1/models/" + model.get("id").asText(), answers);
    }
    for (String user : users) {
      get(http, "/v1/users/" + user, answers);
      get(http, "/v1/users/" + user + "/vouchers", answers);
    }
    long after = 0;
    while (true) {
      JsonNode page = get(http, transitionsPath(after), answers);
      if (page.get("transitions").isEmpty()) {
        break;
      }
      after = page.get("next").asLong();
    }
    get(http, "/v1/stats", answers);
    JsonNode campaigns = get(http, "/v1/campaigns", answers);
    for (JsonNode campaign : campaigns.get("campaigns")) {
      String id = campaign.get("id").asText();
      get(http, "/v1/campaigns/" + id, answers);
      get(http, "/v1/campaigns/" + id + "/stats", answers);
    }
    JsonNode subscriptions = get(http, "/v1/subscriptions", answers);
    for (JsonNode subscription : subscriptions.get("subscriptions")) {
      get(http, "/v1/subscriptions/" + subscription.get("id").asText() + "/dead-letters", answers);
    }
    return answers;
  }

  static String transitionsPath(long after) {
    return "/v1/transitions?after=" + after + "&limit=" + PAGE;
  }

  /** The file an answer is kept in, under {@code expected/}. */
  static String fileOf(String path) {
    String name = path.substring("/v1/".length());
    int query = name.indexOf('?');
    if (query >= 0) {
      name =
          name.substring(0, query)
              + "/"
              + name.substring(query + 1).replace('&', '.').replace('=', '-');
    }
    return name + ".json";
  }

  /** A {@code 200} answer's body. */
  static JsonNode get(HttpJson http, String path) {
    HttpJson.Answer answer = http.get(path);
    if (answer.status() != 200) {
      throw new AssertionError(
          "GET " + path + " answered " + answer.status() + ": " + answer.body());
    }
    return answer.json();
  }

  private static JsonNode get(HttpJson http, String path, Map<String, JsonNode> answers) {
    JsonNode body = get(http, path);
    answers.put(path, body);
    return body;
  }
}
