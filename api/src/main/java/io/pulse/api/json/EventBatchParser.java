package io.pulse.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.pulse.api.http.Problem;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
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

/**
 * Reads {@code POST /v1/events} bodies with Jackson's streaming parser: no intermediate tree, and
 * each event's problem reported by its index while the rest of the batch goes on.
 */
public final class EventBatchParser {

  private final JsonFactory factory;
  private final Clock clock;
  private final int maxEvents;

  public EventBatchParser(JsonFactory factory, Clock clock, int maxEvents) {
    this.factory = factory;
    this.clock = clock;
    this.maxEvents = maxEvents;
  }

  /** Parses a whole body; malformed JSON or a wrong shape raises a problem and accepts nothing. */
  public ParsedEvents parse(byte[] body) {
    Instant now = clock.instant();
    try (JsonParser parser = factory.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw Problem.of(
                400, "empty-body", "Empty body", "the body must be an event or an array of events")
            .raise();
      }
      List<BehaviouralEvent> valid = new ArrayList<>();
      List<EventRejection> rejected = new ArrayList<>();
      int total;
      boolean array;
      if (first == JsonToken.START_OBJECT) {
        array = false;
        total = 1;
        readEvent(parser, now, 0, valid, rejected);
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
            readEvent(parser, now, index, valid, rejected);
          } else {
            parser.skipChildren();
            rejected.add(new EventRejection(index, "an event must be a JSON object"));
          }
          index++;
        }
        total = index;
        if (total == 0) {
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
      return new ParsedEvents(valid, rejected, total, array);
    } catch (JsonProcessingException e) {
      throw Problem.of(400, "invalid-json", "Malformed JSON", e.getOriginalMessage()).raise();
    } catch (IOException e) {
      throw Problem.of(400, "invalid-json", "Malformed JSON", e.getMessage()).raise();
    }
  }

  private void readEvent(
      JsonParser parser,
      Instant now,
      int index,
      List<BehaviouralEvent> valid,
      List<EventRejection> rejected)
      throws IOException {
    String eventId = null;
    String userId = null;
    String type = null;
    String channelName = null;
    String timestamp = null;
    Map<String, Object> properties = null;
    String problem = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "eventId":
        case "userId":
        case "type":
        case "channel":
        case "timestamp":
          if (value == JsonToken.VALUE_NULL) {
            break;
          }
          if (value != JsonToken.VALUE_STRING) {
            parser.skipChildren();
            problem = problem != null ? problem : field + " must be a string";
            break;
          }
          String text = parser.getText();
          switch (field) {
            case "eventId" -> eventId = text;
            case "userId" -> userId = text;
            case "type" -> type = text;
            case "channel" -> channelName = text;
            default -> timestamp = text;
          }
          break;
        case "properties":
          if (value == JsonToken.START_OBJECT) {
            properties = readObject(parser);
          } else if (value != JsonToken.VALUE_NULL) {
            parser.skipChildren();
            problem = problem != null ? problem : "properties must be a JSON object";
          }
          break;
        default:
          parser.skipChildren();
      }
    }
    if (problem == null) {
      problem = missing(userId, type);
    }
    Channel channel = Channel.OTHER;
    if (problem == null && channelName != null) {
      Optional<Channel> known = Channel.fromWireName(channelName);
      if (known.isEmpty()) {
        problem = "channel '" + channelName + "' is not one of " + Channel.wireNames();
      } else {
        channel = known.get();
      }
    }
    Instant at = now;
    if (problem == null && timestamp != null) {
      try {
        at = parseInstant(timestamp);
      } catch (DateTimeParseException e) {
        problem =
            "timestamp '"
                + timestamp
                + "' is not an ISO-8601 date-time such as 2026-11-22T10:00:00Z";
      }
    }
    if (problem != null) {
      rejected.add(new EventRejection(index, problem));
      return;
    }
    BehaviouralEvent event =
        new BehaviouralEvent(
            eventId == null ? generatedId() : eventId, userId, type, channel, at, properties);
    Optional<String> invalid = event.problemAt(now);
    if (invalid.isPresent()) {
      rejected.add(new EventRejection(index, invalid.get()));
    } else {
      valid.add(event);
    }
  }

  private static String missing(String userId, String type) {
    if (userId == null) {
      return "userId is required";
    }
    if (type == null) {
      return "type is required";
    }
    return null;
  }

  private static Instant parseInstant(String text) {
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

  private static Map<String, Object> readObject(JsonParser parser) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      object.put(name, readValue(parser, parser.nextToken()));
    }
    return object;
  }

  private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        return readObject(parser);
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(parser, next));
        }
        return list;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      default:
        return null;
    }
  }
}
