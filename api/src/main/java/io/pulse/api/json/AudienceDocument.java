package io.pulse.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.AudienceCondition;
import io.pulse.engine.domain.audience.AudienceCondition.TraitOperator;
import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.audience.Metric;
import io.pulse.engine.domain.audience.NumberTest;
import io.pulse.engine.domain.audience.RelativeTime;
import io.pulse.engine.domain.profile.Traits;
import io.pulse.engine.model.RescoringProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An audience on the wire: {@code {"name", "condition"}} in, with {@code id}, {@code version} and
 * the progress of its re-evaluation out. The condition is a tree of objects, each with one key that
 * says what it is: {@code all}, {@code any}, {@code not}, {@code trait}, {@code score}, {@code
 * metric}, {@code event} (a window, or with {@code notFollowedBy} a wait) or {@code audience}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AudienceDocument(
    String id,
    String name,
    JsonNode condition,
    Long version,
    ModelDocument.RescoringDocument reevaluation) {

  private static final ObjectMapper TREES = new ObjectMapper();

  private static final Set<String> KINDS =
      Set.of("all", "any", "not", "trait", "score", "metric", "event", "audience", "during");

  private static final Set<String> COMPARISONS = Set.of("eq", "ne", "gt", "gte", "lt", "lte");

  /** The audience, or the problems that prevent it. */
  public record Result(Audience audience, List<String> problems) {}

  /** The audience this document asks for under {@code id}, or every problem with it. */
  public Result toAudience(String audienceId) {
    List<String> problems = new ArrayList<>();
    if (name == null || name.isBlank()) {
      problems.add("name is required");
    }
    if (condition == null || condition.isNull()) {
      problems.add("condition is required");
      return new Result(null, problems);
    }
    Optional<AudienceCondition> parsed = condition("condition", condition, problems);
    if (!problems.isEmpty() || parsed.isEmpty()) {
      return new Result(null, problems);
    }
    return new Result(Audience.of(audienceId, name, parsed.get()), List.of());
  }

  private static Optional<AudienceCondition> condition(
      String at, JsonNode node, List<String> problems) {
    if (!node.isObject()) {
      problems.add(at + " must be an object such as {\"trait\": \"country\", \"eq\": \"IE\"}");
      return Optional.empty();
    }
    Set<String> kinds = new LinkedHashSet<>();
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (KINDS.contains(name)) {
                kinds.add(name);
              }
            });
    if (kinds.size() != 1) {
      problems.add(
          at
              + (kinds.isEmpty() ? " names no test" : " names more than one test " + kinds)
              + ": one of all, any, not, trait, score, metric, event, audience, during");
      return Optional.empty();
    }
    String kind = kinds.iterator().next();
    return switch (kind) {
      case "all", "any" -> group(at, kind, node, problems);
      case "not" -> not(at, node, problems);
      case "trait" -> trait(at, node, problems);
      case "score" -> score(at, node, problems);
      case "metric" -> metric(at, node, problems);
      case "event" -> event(at, node, problems);
      case "during" -> during(at, node, problems);
      default -> reference(at, node, problems);
    };
  }

  private static Optional<AudienceCondition> group(
      String at, String kind, JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys(at, node, Set.of(kind), problems);
    JsonNode members = node.get(kind);
    if (!members.isArray() || members.isEmpty()) {
      problems.add(at + "." + kind + " must be a non-empty array of conditions");
      return Optional.empty();
    }
    List<AudienceCondition> conditions = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      condition(at + "." + kind + "[" + i + "]", members.get(i), problems)
          .ifPresent(conditions::add);
    }
    return kind.equals("all")
        ? Optional.of(new AudienceCondition.All(conditions))
        : Optional.of(new AudienceCondition.Any(conditions));
  }

  private static Optional<AudienceCondition> not(String at, JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys(at, node, Set.of("not"), problems);
    return condition(at + ".not", node.get("not"), problems).map(AudienceCondition.Not::new);
  }

  private static Optional<AudienceCondition> trait(
      String at, JsonNode node, List<String> problems) {
    JsonNode name = node.get("trait");
    if (!name.isTextual() || name.asText().isEmpty()) {
      problems.add(at + ".trait must name a trait");
      return Optional.empty();
    }
    List<String> operators = new ArrayList<>();
    for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (field.equals("trait")) {
        continue;
      }
      if (TraitOperator.fromWireName(field).isEmpty()) {
        problems.add(
            at
                + ": unknown key '"
                + field
                + "' (eq, ne, in, gt, gte, lt, lte, exists, contains, before, after)");
        return Optional.empty();
      }
      operators.add(field);
    }
    if (operators.size() != 1) {
      problems.add(at + " must compare the trait with exactly one operator");
      return Optional.empty();
    }
    TraitOperator operator = TraitOperator.fromWireName(operators.get(0)).orElseThrow();
    JsonNode operand = node.get(operators.get(0));
    String where = at + "." + operator.wireName();
    switch (operator) {
      case EXISTS -> {
        if (!operand.isBoolean()) {
          problems.add(where + " must be true or false");
          return Optional.empty();
        }
        return Optional.of(test(name, operator, operand.asBoolean(), null));
      }
      case IN -> {
        if (!operand.isArray() || operand.isEmpty() || !allScalar(operand)) {
          problems.add(where + " must be a non-empty array of strings, numbers or booleans");
          return Optional.empty();
        }
        return Optional.of(test(name, operator, TREES.convertValue(operand, List.class), null));
      }
      case CONTAINS -> {
        if (!operand.isTextual()) {
          problems.add(where + " must be a string");
          return Optional.empty();
        }
        return Optional.of(test(name, operator, operand.asText(), null));
      }
      case GT, GTE, LT, LTE -> {
        if (!operand.isNumber() && !operand.isTextual()) {
          problems.add(where + " must be a number or a string");
          return Optional.empty();
        }
        return Optional.of(test(name, operator, scalar(operand), null));
      }
      case BEFORE, AFTER -> {
        if (!operand.isTextual()) {
          problems.add(where + " must be an ISO-8601 date, date-time or duration such as -P30D");
          return Optional.empty();
        }
        String text = operand.asText();
        Optional<RelativeTime> relative = RelativeTime.parse(text);
        if (relative.isPresent()) {
          return Optional.of(test(name, operator, null, relative.get()));
        }
        if (Traits.instant(text).isEmpty()) {
          problems.add(
              where
                  + " '"
                  + text
                  + "' is not an ISO-8601 date, date-time or duration such as -P30D");
          return Optional.empty();
        }
        return Optional.of(test(name, operator, text, null));
      }
      default -> {
        if (!operand.isValueNode() || operand.isNull()) {
          problems.add(where + " must be a string, a number or a boolean");
          return Optional.empty();
        }
        return Optional.of(test(name, operator, scalar(operand), null));
      }
    }
  }

  private static AudienceCondition test(
      JsonNode name, TraitOperator operator, Object operand, RelativeTime relative) {
    return new AudienceCondition.TraitTest(name.asText(), operator, operand, relative);
  }

  private static Optional<AudienceCondition> score(
      String at, JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys(at, node, Set.of("score"), problems);
    JsonNode score = node.get("score");
    String where = at + ".score";
    if (!score.isObject() || !score.path("model").isTextual()) {
      problems.add(where + " must be an object naming a model: {\"model\": \"engagement\", ...}");
      return Optional.empty();
    }
    String model = score.get("model").asText();
    Set<String> allowed = new LinkedHashSet<>(COMPARISONS);
    allowed.add("model");
    allowed.add("band");
    JsonProblems.unknownKeys(where, score, allowed, problems);
    List<String> tests = new ArrayList<>();
    score
        .fieldNames()
        .forEachRemaining(
            field -> {
              if (!field.equals("model") && allowed.contains(field)) {
                tests.add(field);
              }
            });
    if (tests.size() != 1) {
      problems.add(where + " must have exactly one of band, eq, ne, gt, gte, lt, lte");
      return Optional.empty();
    }
    if (tests.get(0).equals("band")) {
      if (!score.get("band").isTextual()) {
        problems.add(where + ".band must be a band's name");
        return Optional.empty();
      }
      return Optional.of(new AudienceCondition.ScoreTest(model, score.get("band").asText(), null));
    }
    return comparison(where, score, tests.get(0), problems)
        .map(test -> new AudienceCondition.ScoreTest(model, null, test));
  }

  private static Optional<AudienceCondition> metric(
      String at, JsonNode node, List<String> problems) {
    JsonNode name = node.get("metric");
    Optional<Metric> metric =
        name.isTextual() ? Metric.fromWireName(name.asText()) : Optional.empty();
    if (metric.isEmpty()) {
      problems.add(at + ".metric must be one of " + Metric.wireNames());
      return Optional.empty();
    }
    Set<String> allowed = new LinkedHashSet<>(COMPARISONS);
    allowed.add("metric");
    JsonProblems.unknownKeys(at, node, allowed, problems);
    List<String> tests = new ArrayList<>();
    node.fieldNames()
        .forEachRemaining(
            field -> {
              if (COMPARISONS.contains(field)) {
                tests.add(field);
              }
            });
    if (tests.size() != 1) {
      problems.add(at + " must compare the metric with exactly one of eq, ne, gt, gte, lt, lte");
      return Optional.empty();
    }
    return comparison(at, node, tests.get(0), problems)
        .map(test -> new AudienceCondition.MetricTest(metric.get(), test));
  }

  private static Optional<AudienceCondition> event(
      String at, JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys(
        at, node, Set.of("event", "where", "within", "count", "notFollowedBy"), problems);
    Optional<EventMatch> first = WhereConditions.match(at, node, problems);
    Optional<Duration> within = Optional.empty();
    JsonNode span = node.get("within");
    if (span == null || !span.isTextual()) {
      problems.add(at + ".within is required: an ISO-8601 duration such as P7D or PT1H");
    } else {
      within = RelativeTime.fixedSpan(span.asText());
      if (within.isEmpty()) {
        problems.add(
            at
                + ".within '"
                + span.asText()
                + "' must be a positive ISO-8601 duration of days, hours, minutes or seconds");
      }
    }
    JsonNode count = node.get("count");
    JsonNode followUp = node.get("notFollowedBy");
    if ((count == null) == (followUp == null)) {
      problems.add(at + " must have exactly one of count and notFollowedBy");
      return Optional.empty();
    }
    if (followUp != null) {
      if (!followUp.isObject()) {
        problems.add(at + ".notFollowedBy must be an object: {\"event\": \"purchase\"}");
        return Optional.empty();
      }
      JsonProblems.unknownKeys(at + ".notFollowedBy", followUp, Set.of("event", "where"), problems);
      Optional<EventMatch> then = WhereConditions.match(at + ".notFollowedBy", followUp, problems);
      if (first.isEmpty() || then.isEmpty() || within.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new AudienceCondition.NotFollowedBy(first.get(), then.get(), within.get(), -1));
    }
    if (!count.isObject()) {
      problems.add(at + ".count must be an object such as {\"gte\": 3}");
      return Optional.empty();
    }
    JsonProblems.unknownKeys(at + ".count", count, COMPARISONS, problems);
    List<String> tests = new ArrayList<>();
    count.fieldNames().forEachRemaining(tests::add);
    if (tests.size() != 1) {
      problems.add(at + ".count must have exactly one of eq, ne, gt, gte, lt, lte");
      return Optional.empty();
    }
    Optional<NumberTest> test = comparison(at + ".count", count, tests.get(0), problems);
    if (first.isEmpty() || within.isEmpty() || test.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AudienceCondition.EventWindow(first.get(), within.get(), test.get(), -1));
  }

  private static Optional<AudienceCondition> during(
      String at, JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys(at, node, Set.of("during"), problems);
    JsonNode during = node.get("during");
    String where = at + ".during";
    if (!during.isObject() || during.isEmpty()) {
      problems.add(
          where
              + " must be an object with from, until or both, such as"
              + " {\"from\": \"2027-03-17T00:00:00Z\", \"until\": \"2027-03-18T00:00:00Z\"}");
      return Optional.empty();
    }
    JsonProblems.unknownKeys(where, during, Set.of("from", "until"), problems);
    Instant[] ends = new Instant[2];
    String[] names = {"from", "until"};
    for (int i = 0; i < 2; i++) {
      JsonNode end = during.get(names[i]);
      if (end == null || end.isNull()) {
        continue;
      }
      Optional<Instant> instant = end.isTextual() ? Traits.instant(end.asText()) : Optional.empty();
      if (instant.isEmpty()) {
        problems.add(
            where + "." + names[i] + " must be an ISO-8601 date-time such as 2027-03-17T00:00:00Z");
        return Optional.empty();
      }
      ends[i] = instant.get();
    }
    if (ends[0] == null && ends[1] == null) {
      problems.add(where + " needs from, until or both");
      return Optional.empty();
    }
    return Optional.of(new AudienceCondition.During(ends[0], ends[1]));
  }

  private static Optional<AudienceCondition> reference(
      String at, JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys(at, node, Set.of("audience"), problems);
    JsonNode audience = node.get("audience");
    if (!audience.isTextual() || !Audience.isValidId(audience.asText())) {
      problems.add(at + ".audience must be an audience's id");
      return Optional.empty();
    }
    return Optional.of(new AudienceCondition.InAudience(audience.asText()));
  }

  private static Optional<NumberTest> comparison(
      String at, JsonNode node, String operator, List<String> problems) {
    JsonNode value = node.get(operator);
    if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
      problems.add(at + "." + operator + " must be a number");
      return Optional.empty();
    }
    return Optional.of(
        new NumberTest(
            NumberTest.Comparison.fromWireName(operator).orElseThrow(), value.asDouble()));
  }

  private static boolean allScalar(JsonNode array) {
    for (JsonNode element : array) {
      if (!element.isTextual() && !element.isNumber() && !element.isBoolean()) {
        return false;
      }
    }
    return true;
  }

  private static Object scalar(JsonNode node) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }

  /** The document of a stored audience, with the progress of the re-evaluation it started. */
  public static AudienceDocument of(Audience audience, RescoringProgress progress) {
    return new AudienceDocument(
        audience.id(),
        audience.name(),
        TREES.valueToTree(wire(audience.condition())),
        audience.version(),
        progress == null
            ? null
            : new ModelDocument.RescoringDocument(
                progress.done(), progress.total(), progress.finished()));
  }

  /** A condition as the wire writes it. */
  private static Map<String, Object> wire(AudienceCondition condition) {
    Map<String, Object> node = new LinkedHashMap<>();
    if (condition instanceof AudienceCondition.All all) {
      node.put("all", all.conditions().stream().map(AudienceDocument::wire).toList());
    } else if (condition instanceof AudienceCondition.Any any) {
      node.put("any", any.conditions().stream().map(AudienceDocument::wire).toList());
    } else if (condition instanceof AudienceCondition.Not not) {
      node.put("not", wire(not.condition()));
    } else if (condition instanceof AudienceCondition.TraitTest test) {
      node.put("trait", test.trait());
      node.put(
          test.operator().wireName(),
          test.relative() != null ? test.relative().text() : test.operand());
    } else if (condition instanceof AudienceCondition.ScoreTest test) {
      Map<String, Object> score = new LinkedHashMap<>();
      score.put("model", test.model());
      if (test.band() != null) {
        score.put("band", test.band());
      } else {
        score.put(test.comparison().comparison().wireName(), test.comparison().threshold());
      }
      node.put("score", score);
    } else if (condition instanceof AudienceCondition.MetricTest test) {
      node.put("metric", test.metric().wireName());
      node.put(test.comparison().comparison().wireName(), test.comparison().threshold());
    } else if (condition instanceof AudienceCondition.EventWindow window) {
      WhereConditions.putMatch(node, window.event());
      node.put("within", window.within().toString());
      node.put("count", Map.of(window.count().comparison().wireName(), window.count().threshold()));
    } else if (condition instanceof AudienceCondition.NotFollowedBy absence) {
      WhereConditions.putMatch(node, absence.first());
      Map<String, Object> then = new LinkedHashMap<>();
      WhereConditions.putMatch(then, absence.then());
      node.put("notFollowedBy", then);
      node.put("within", absence.within().toString());
    } else if (condition instanceof AudienceCondition.InAudience in) {
      node.put("audience", in.audience());
    } else if (condition instanceof AudienceCondition.During during) {
      Map<String, Object> ends = new LinkedHashMap<>();
      if (during.from() != null) {
        ends.put("from", during.from().toString());
      }
      if (during.until() != null) {
        ends.put("until", during.until().toString());
      }
      node.put("during", ends);
    }
    return node;
  }
}
