package io.pulse.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.pulse.api.http.Problem;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.InputLimits;
import io.pulse.engine.domain.InputText;
import io.pulse.engine.domain.profile.TraitLimits;
import io.pulse.engine.domain.profile.Traits;
import io.pulse.engine.serialization.IsoInstants;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code POST /v1/events} bodies with Jackson's streaming parser: no intermediate tree, and
 * each event's problem reported by its index while the rest of the batch goes on. An event is
 * strict JSON: known fields only ({@code properties} is the free-form place), each at most once,
 * strings where strings belong and well-formed Unicode everywhere; the domain then checks what the
 * values mean.
 */
public final class EventBatchParser {

  private static final Logger log = LoggerFactory.getLogger(EventBatchParser.class);

  private static final String NOT_UNICODE = " " + InputText.NOT_UNICODE;

  private final JsonFactory factory;
  private final Clock clock;
  private final int maxEvents;
  private final InputLimits limits;
  private final TraitLimits traitLimits;

  public EventBatchParser(
      JsonFactory factory,
      Clock clock,
      int maxEvents,
      InputLimits limits,
      TraitLimits traitLimits) {
    this.factory = factory;
    this.clock = clock;
    this.maxEvents = maxEvents;
    this.limits = limits;
    this.traitLimits = traitLimits;
  }

  /** Parses a whole body; malformed JSON or a wrong shape raises a problem and accepts nothing. */
  public ParsedEvents parse(byte[] body) {
    Instant now = clock.instant();
    Utf8Body source = Utf8Body.of(body);
    try {
      try {
        return read(source, now);
      } catch (JsonProcessingException e) {
        if (!JsonProblems.surrogateInFieldName(e)) {
          throw e;
        }
        return read(source.asText(), now);
      }
    } catch (JsonProcessingException e) {
      throw Problem.of(400, "invalid-json", "Malformed JSON", JsonProblems.describe(e).detail())
          .raise();
    } catch (IOException e) {
      throw Problem.of(400, "invalid-json", "Malformed JSON", "the body could not be read").raise();
    }
  }

  private ParsedEvents read(Utf8Body source, Instant now) throws IOException {
    try (JsonParser parser = source.parser(factory)) {
      // Duplicates are found per event below, so that one costs that event, not the batch.
      parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw Problem.of(
                400, "empty-body", "Empty body", "the body must be an event or an array of events")
            .raise();
      }
      Batch batch = new Batch();
      boolean array;
      if (first == JsonToken.START_OBJECT) {
        array = false;
        batch.total = 1;
        readEvent(parser, now, 0, batch);
      } else if (first == JsonToken.START_ARRAY) {
        array = true;
        int index = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
          if (index == maxEvents) {
            throw Problem.of(
                    413,
                    "too-many-events",
                    "Too many events",
                    "a request may carry at most " + maxEvents + " events")
                .raise();
          }
          if (token == JsonToken.START_OBJECT) {
            readEvent(parser, now, index, batch);
          } else {
            parser.skipChildren();
            batch.rejected.add(new EventRejection(index, "an event must be a JSON object"));
          }
          index++;
        }
        batch.total = index;
        if (index == 0) {
          throw Problem.of(
                  400,
                  "empty-batch",
                  "Empty batch",
                  "an array of events must hold 1 to " + maxEvents + " events")
              .raise();
        }
      } else {
        throw Problem.of(
                400,
                "invalid-body",
                "Invalid body",
                "the body must be a JSON object (one event) or an array of events")
            .raise();
      }
      if (parser.nextToken() != null) {
        throw Problem.of(
                400, "invalid-json", "Malformed JSON", "unexpected content after the JSON value")
            .raise();
      }
      if (batch.invalidText > 0) {
        // A client sending text that is not Unicode is broken or hostile: worth one line, no more.
        log.warn(
            "Refused {} of {} events in a request for text that is not valid Unicode",
            batch.invalidText,
            batch.total);
      }
      return new ParsedEvents(batch.valid, batch.positions, batch.rejected, batch.total, array);
    }
  }

  /** What a request's events came to so far. */
  private static final class Batch {
    final List<BehaviouralEvent> valid = new ArrayList<>();
    final List<Integer> positions = new ArrayList<>();
    final List<EventRejection> rejected = new ArrayList<>();
    int total;
    int invalidText;
  }

  /** The fields of one event as read, and its first problem. */
  private static final class EventFields {
    String eventId;
    String userId;
    String type;
    String channelName;
    String timestamp;
    Map<String, Object> properties;
    Map<String, Object> traits;
    String problem;
    boolean invalidText;
    int seen;

    void problem(String found) {
      if (problem == null) {
        problem = found;
      }
    }

    void invalidText(String at) {
      invalidText = true;
      problem(at + NOT_UNICODE);
    }
  }

  private void readEvent(JsonParser parser, Instant now, int index, Batch batch)
      throws IOException {
    EventFields fields = new EventFields();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      int field = fieldIndex(name);
      if (field < 0) {
        parser.skipChildren();
        if (!InputText.isWellFormed(name)) {
          fields.invalidText("a field name");
        } else {
          fields.problem("unknown field '" + name + "' (free-form data belongs in properties)");
        }
        continue;
      }
      if ((fields.seen & (1 << field)) != 0) {
        parser.skipChildren();
        fields.problem(name + " appears more than once");
        continue;
      }
      fields.seen |= 1 << field;
      if (name.equals("properties") || name.equals("traits")) {
        if (value == JsonToken.START_OBJECT) {
          Map<String, Object> object = readObject(parser, name, fields);
          if (name.equals("properties")) {
            fields.properties = object;
          } else {
            fields.traits = object;
          }
        } else if (value != JsonToken.VALUE_NULL) {
          parser.skipChildren();
          fields.problem(name + " must be a JSON object");
        }
        continue;
      }
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      if (value != JsonToken.VALUE_STRING) {
        parser.skipChildren();
        fields.problem(name + " must be a string");
        continue;
      }
      String text = parser.getText();
      if (!InputText.isWellFormed(text)) {
        fields.invalidText(name);
        continue;
      }
      switch (name) {
        case "eventId" -> fields.eventId = text;
        case "userId" -> fields.userId = text;
        case "type" -> fields.type = text;
        case "channel" -> fields.channelName = text;
        default -> fields.timestamp = text;
      }
    }
    if (fields.invalidText) {
      batch.invalidText++;
    }
    Optional<BehaviouralEvent> event = toEvent(fields, now);
    if (fields.problem != null) {
      batch.rejected.add(new EventRejection(index, fields.problem));
    } else {
      batch.valid.add(event.orElseThrow());
      batch.positions.add(index);
    }
  }

  /** The bit of a top-level field in a seen-mask, or -1 for an unknown field. */
  private static int fieldIndex(String name) {
    return switch (name) {
      case "eventId" -> 0;
      case "userId" -> 1;
      case "type" -> 2;
      case "channel" -> 3;
      case "timestamp" -> 4;
      case "properties" -> 5;
      case "traits" -> 6;
      default -> -1;
    };
  }

  /** The event the fields describe, checked by the domain; or none, with the fields' problem. */
  private Optional<BehaviouralEvent> toEvent(EventFields fields, Instant now) {
    if (fields.userId == null) {
      fields.problem("userId is required");
    } else if (fields.type == null) {
      fields.problem("type is required");
    }
    if (fields.problem != null) {
      return Optional.empty();
    }
    Channel channel = Channel.OTHER;
    if (fields.channelName != null) {
      Optional<Channel> known = Channel.fromWireName(fields.channelName);
      if (known.isEmpty()) {
        fields.problem("channel '" + fields.channelName + "' is not one of " + Channel.wireNames());
        return Optional.empty();
      }
      channel = known.get();
    }
    Instant at = now;
    if (fields.timestamp != null) {
      try {
        at = parseInstant(fields.timestamp);
      } catch (DateTimeParseException e) {
        fields.problem(
            "timestamp '"
                + fields.timestamp
                + "' is not an ISO-8601 date-time such as 2026-11-22T10:00:00Z");
        return Optional.empty();
      }
    }
    BehaviouralEvent event =
        new BehaviouralEvent(
            fields.eventId == null ? generatedId() : fields.eventId,
            fields.userId,
            fields.type,
            channel,
            at,
            fields.properties,
            fields.traits);
    Optional<String> invalid = event.problemAt(now, limits);
    if (invalid.isPresent()) {
      fields.problem(invalid.get());
      return Optional.empty();
    }
    if (fields.traits != null) {
      Optional<String> traitProblem = traitProblem(event, now);
      if (traitProblem.isPresent()) {
        fields.problem(traitProblem.get());
        return Optional.empty();
      }
    }
    return Optional.of(event);
  }

  /**
   * Why an event's traits cannot be applied, checked here against no traits so that a bad patch
   * costs its event alone; what only the user's own traits can tell (how many there would be) is
   * answered by the user, per event.
   */
  private Optional<String> traitProblem(BehaviouralEvent event, Instant now) {
    if (!BehaviouralEvent.IDENTIFY.equals(event.type())) {
      return Optional.of("traits belong to identify events only");
    }
    Traits.Patched patched = Traits.NONE.patch(event.traits(), traitLimits, now);
    return patched.refused()
        ? Optional.of("traits: " + String.join("; ", patched.problems()))
        : Optional.empty();
  }

  private static Instant parseInstant(String text) {
    // Nearly every timestamp is plain UTC text, read without DateTimeFormatter's general parser.
    Instant plain = IsoInstants.parse(text);
    if (plain != null) {
      return plain;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant();
    }
  }

  /** Events sent without an id still get one, so that they are stored and counted once. */
  private static String generatedId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "gen-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
  }

  private static Map<String, Object> readObject(JsonParser parser, String at, EventFields fields)
      throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      if (!InputText.isWellFormed(name)) {
        parser.skipChildren();
        fields.invalidText("a field name in " + at);
      } else if (object.containsKey(name)) {
        parser.skipChildren();
        fields.problem(at + "." + name + " appears more than once");
      } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        object.put(name, readContainer(parser, token, at + "." + name, fields));
      } else {
        Object value = readScalar(parser, token);
        if (value == null && token != JsonToken.VALUE_NULL) {
          scalarProblem(fields, token, at + "." + name);
        }
        object.put(name, value);
      }
    }
    return object;
  }

  private static Object readContainer(
      JsonParser parser, JsonToken token, String at, EventFields fields) throws IOException {
    if (token == JsonToken.START_OBJECT) {
      return readObject(parser, at, fields);
    }
    List<Object> list = new ArrayList<>();
    JsonToken next;
    while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY) {
        list.add(readContainer(parser, next, at + "[" + list.size() + "]", fields));
      } else {
        Object value = readScalar(parser, next);
        if (value == null && next != JsonToken.VALUE_NULL) {
          scalarProblem(fields, next, at + "[" + list.size() + "]");
        }
        list.add(value);
      }
    }
    return list;
  }

  /**
   * A string, number or boolean as the domain holds it; null for JSON null, and for a value that
   * cannot be held (text that is not Unicode, a number beyond a double's range), which is then
   * reported by {@link #scalarProblem}. Paths are only built for such a problem.
   */
  private static Object readScalar(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case VALUE_STRING:
        String text = parser.getText();
        return InputText.isWellFormed(text) ? text : null;
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        double number = parser.getDoubleValue();
        return Double.isFinite(number) ? number : null;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  private static void scalarProblem(EventFields fields, JsonToken token, String at) {
    if (token == JsonToken.VALUE_STRING) {
      fields.invalidText(at);
    } else {
      fields.problem(at + " is a number out of range");
    }
  }
}
