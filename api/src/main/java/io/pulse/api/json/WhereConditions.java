package io.pulse.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.audience.EventMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code where} on the wire, for scoring rules, audiences and campaign triggers alike: a dotted
 * path of an event to operator/operand pairs, {@code {"properties.amount": {"gte": 50}}}.
 */
final class WhereConditions {

  private static final ObjectMapper TREES = new ObjectMapper();

  private WhereConditions() {}

  /**
   * The conditions of a {@code where} read as a tree ({@code null} for none); empty, with each
   * problem added to {@code problems} at {@code at}, when it is not an object of objects of
   * operators.
   */
  static Optional<List<Condition>> read(String at, JsonNode where, List<String> problems) {
    if (where == null) {
      return Optional.of(List.of());
    }
    if (!where.isObject()) {
      problems.add(at + ".where must be an object such as {\"properties.amount\": {\"gte\": 50}}");
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> paths = TREES.convertValue(where, Map.class);
    for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
      if (!where.get(path.getKey()).isObject()) {
        problems.add(at + ".where." + path.getKey() + " must be an object of operators");
        return Optional.empty();
      }
    }
    int before = problems.size();
    List<Condition> conditions = read(at, paths, problems);
    return problems.size() > before ? Optional.empty() : Optional.of(conditions);
  }

  /** The conditions of {@code where}; each problem is added to {@code problems}, at {@code at}. */
  static List<Condition> read(
      String at, Map<String, Map<String, Object>> where, List<String> problems) {
    List<Condition> conditions = new ArrayList<>();
    if (where == null) {
      return conditions;
    }
    for (Map.Entry<String, Map<String, Object>> path : where.entrySet()) {
      if (path.getValue() == null || path.getValue().isEmpty()) {
        problems.add(at + ".where." + path.getKey() + " needs at least one operator");
        continue;
      }
      for (Map.Entry<String, Object> test : path.getValue().entrySet()) {
        Optional<ConditionOperator> operator = ConditionOperator.fromWireName(test.getKey());
        if (operator.isEmpty()) {
          problems.add(
              at
                  + ".where."
                  + path.getKey()
                  + ": unknown operator '"
                  + test.getKey()
                  + "' (eq, ne, in, gt, gte, lt, lte, exists)");
        } else {
          conditions.add(new Condition(path.getKey(), operator.get(), test.getValue()));
        }
      }
    }
    return conditions;
  }

  /** {@code where} as the wire shows it; null for none. */
  static Map<String, Map<String, Object>> of(List<Condition> conditions) {
    if (conditions.isEmpty()) {
      return null;
    }
    Map<String, Map<String, Object>> where = new LinkedHashMap<>();
    for (Condition condition : conditions) {
      where
          .computeIfAbsent(condition.path(), path -> new LinkedHashMap<>())
          .put(condition.operator().wireName(), condition.operand());
    }
    return where;
  }

  /**
   * The event type under {@code event} of {@code node} and its {@code where}, if both are sound.
   */
  static Optional<EventMatch> match(String at, JsonNode node, List<String> problems) {
    JsonNode type = node.get("event");
    if (type == null || !type.isTextual() || type.asText().isBlank()) {
      problems.add(at + ".event must name an event type");
      return Optional.empty();
    }
    return read(at, node.get("where"), problems)
        .map(conditions -> new EventMatch(type.asText(), conditions));
  }

  /** Writes {@code match} as {@code event} and, if it has conditions, {@code where}. */
  static void putMatch(Map<String, Object> node, EventMatch match) {
    node.put("event", match.type());
    Map<String, Map<String, Object>> where = of(match.where());
    if (where != null) {
      node.put("where", where);
    }
  }
}
