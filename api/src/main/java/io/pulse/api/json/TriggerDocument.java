package io.pulse.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.engine.domain.promotion.Trigger;
import io.pulse.engine.domain.promotion.TriggerDirection;
import io.pulse.engine.domain.watch.DateWatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A campaign's {@code trigger} on the wire, one of four kinds, told apart by the key that names
 * what it fires on:
 *
 * <ul>
 *   <li>{@code {"model": "engagement", "entered": "high"}} (or {@code exited}, a band or a list);
 *   <li>{@code {"audience": "cart-abandoners", "entered": true}} (or {@code "exited": true});
 *   <li>{@code {"event": "support_contact", "where": {...}}}, with {@code "occurrence": 3} for the
 *       user's third such event;
 *   <li>{@code {"date": {"trait": "birthday", "at": "09:00", "timeZoneTrait": "timeZone"}}}.
 * </ul>
 */
final class TriggerDocument {

  private static final ObjectMapper TREES = new ObjectMapper();

  private static final List<String> KINDS = List.of("model", "audience", "event", "date");

  private TriggerDocument() {}

  /** The trigger {@code node} describes; empty, with every problem added, when it is unsound. */
  static Optional<Trigger> read(JsonNode node, List<String> problems) {
    if (node == null || node.isNull()) {
      problems.add("trigger is required");
      return Optional.empty();
    }
    if (!node.isObject()) {
      problems.add(
          "trigger must be an object such as {\"model\": \"engagement\", \"entered\": \"high\"}");
      return Optional.empty();
    }
    Set<String> kinds = new TreeSet<>();
    for (String kind : KINDS) {
      if (node.has(kind)) {
        kinds.add(kind);
      }
    }
    if (kinds.size() != 1) {
      problems.add(
          "trigger"
              + (kinds.isEmpty() ? " names nothing to fire on" : " combines " + kinds)
              + ": it needs exactly one of model, audience, event and date");
      return Optional.empty();
    }
    int before = problems.size();
    Optional<Trigger> trigger =
        switch (kinds.iterator().next()) {
          case "model" -> band(node, problems);
          case "audience" -> audience(node, problems);
          case "event" -> event(node, problems);
          default -> date(node, problems);
        };
    trigger.ifPresent(read -> problems.addAll(read.problems("trigger")));
    return problems.size() > before ? Optional.empty() : trigger;
  }

  private static Optional<Trigger> band(JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys("trigger", node, Set.of("model", "entered", "exited"), problems);
    JsonNode model = node.get("model");
    if (!model.isTextual()) {
      problems.add("trigger.model must be a model's id");
    }
    Optional<TriggerDirection> direction = direction(node, problems);
    if (direction.isEmpty() || !model.isTextual()) {
      return Optional.empty();
    }
    String field = direction.get().wireName();
    List<String> bands = new ArrayList<>();
    JsonNode named = node.get(field);
    if (named.isTextual()) {
      bands.add(named.asText());
    } else if (named.isArray()) {
      for (JsonNode band : named) {
        if (!band.isTextual()) {
          problems.add("trigger." + field + " must be a band's name or a list of them");
          return Optional.empty();
        }
        bands.add(band.asText());
      }
    } else {
      problems.add("trigger." + field + " must be a band's name or a list of them");
      return Optional.empty();
    }
    return Optional.of(new Trigger(model.asText(), direction.get(), bands));
  }

  private static Optional<Trigger> audience(JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys("trigger", node, Set.of("audience", "entered", "exited"), problems);
    JsonNode audience = node.get("audience");
    if (!audience.isTextual()) {
      problems.add("trigger.audience must be an audience's id");
    }
    Optional<TriggerDirection> direction = direction(node, problems);
    if (direction.isEmpty() || !audience.isTextual()) {
      return Optional.empty();
    }
    String field = direction.get().wireName();
    if (!node.get(field).isBoolean() || !node.get(field).asBoolean()) {
      problems.add("trigger." + field + " must be true for an audience");
      return Optional.empty();
    }
    return Optional.of(Trigger.audience(audience.asText(), direction.get()));
  }

  private static Optional<TriggerDirection> direction(JsonNode node, List<String> problems) {
    if (node.has("entered") == node.has("exited")) {
      problems.add("trigger needs exactly one of entered and exited");
      return Optional.empty();
    }
    return Optional.of(node.has("entered") ? TriggerDirection.ENTERED : TriggerDirection.EXITED);
  }

  private static Optional<Trigger> event(JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys("trigger", node, Set.of("event", "where", "occurrence"), problems);
    JsonNode occurrence = node.get("occurrence");
    Integer nth = null;
    if (occurrence != null) {
      if (!occurrence.isIntegralNumber()
          || !occurrence.canConvertToInt()
          || occurrence.intValue() < 1
          || occurrence.intValue() > Trigger.MAX_OCCURRENCE) {
        problems.add(
            "trigger.occurrence must be a whole number from 1 to " + Trigger.MAX_OCCURRENCE);
        return Optional.empty();
      }
      nth = occurrence.intValue();
    }
    Integer chosen = nth;
    return WhereConditions.match("trigger", node, problems)
        .map(match -> chosen == null ? Trigger.event(match) : Trigger.occurrence(match, chosen));
  }

  private static Optional<Trigger> date(JsonNode node, List<String> problems) {
    JsonProblems.unknownKeys("trigger", node, Set.of("date"), problems);
    JsonNode date = node.get("date");
    if (!date.isObject()) {
      problems.add(
          "trigger.date must be an object such as {\"trait\": \"birthday\", \"at\": \"09:00\"}");
      return Optional.empty();
    }
    JsonProblems.unknownKeys(
        "trigger.date", date, Set.of("trait", "at", "timeZoneTrait"), problems);
    Optional<String> trait = text(date, "trait", true, problems);
    Optional<String> at = text(date, "at", false, problems);
    Optional<String> zone = text(date, "timeZoneTrait", false, problems);
    if (trait.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        Trigger.date(new DateWatch(trait.get(), at.orElse(null), zone.orElse(null))));
  }

  /** The text under {@code field} of the date; a problem if it is there and not text. */
  private static Optional<String> text(
      JsonNode date, String field, boolean required, List<String> problems) {
    JsonNode value = date.get(field);
    if (value == null || (value.isNull() && !required)) {
      if (required) {
        problems.add("trigger.date." + field + " is required");
      }
      return Optional.empty();
    }
    if (!value.isTextual()) {
      problems.add("trigger.date." + field + " must be a string");
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  /** {@code trigger} as the wire writes it. */
  static JsonNode of(Trigger trigger) {
    Map<String, Object> node = new LinkedHashMap<>();
    switch (trigger.kind()) {
      case BAND -> {
        node.put("model", trigger.model());
        node.put(
            trigger.direction().wireName(),
            trigger.bands().size() == 1 ? trigger.bands().get(0) : trigger.bands());
      }
      case AUDIENCE -> {
        node.put("audience", trigger.audience());
        node.put(trigger.direction().wireName(), true);
      }
      case EVENT -> {
        WhereConditions.putMatch(node, trigger.event());
        if (trigger.occurrence() != null) {
          node.put("occurrence", trigger.occurrence());
        }
      }
      case DATE -> {
        Map<String, Object> date = new LinkedHashMap<>();
        date.put("trait", trigger.date().trait());
        date.put("at", trigger.date().at());
        if (trigger.date().timeZoneTrait() != null) {
          date.put("timeZoneTrait", trigger.date().timeZoneTrait());
        }
        node.put("date", date);
      }
    }
    return TREES.valueToTree(node);
  }
}
