package io.pulse.engine.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One thing a user did, as accepted from an app. Properties are a JSON-like tree of maps, lists,
 * strings, numbers and booleans. An {@value #IDENTIFY} event may carry {@code traits}, a JSON merge
 * patch of the user's traits (null elsewhere).
 */
public record BehaviouralEvent(
    String eventId,
    String userId,
    String type,
    Channel channel,
    Instant timestamp,
    Map<String, Object> properties,
    Map<String, Object> traits) {

  public static final String PURCHASE = "purchase";

  /** The type of an event that tells who the user is, and may carry traits. */
  public static final String IDENTIFY = "identify";

  static final int MAX_ID_LENGTH = 256;

  public BehaviouralEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(timestamp, "timestamp");
    properties = properties == null ? Map.of() : properties;
  }

  /** An event without traits. */
  public BehaviouralEvent(
      String eventId,
      String userId,
      String type,
      Channel channel,
      Instant timestamp,
      Map<String, Object> properties) {
    this(eventId, userId, type, channel, timestamp, properties, null);
  }

  /** Why this event cannot be accepted at {@code now} within {@code limits}, if it cannot. */
  public Optional<String> problemAt(Instant now, InputLimits limits) {
    Optional<String> userIdProblem = InputText.userIdProblem(userId);
    if (userIdProblem.isPresent()) {
      return userIdProblem;
    }
    if (type.isBlank()) {
      return Optional.of("type must not be blank");
    }
    if (type.length() > MAX_ID_LENGTH) {
      return Optional.of("type is longer than " + MAX_ID_LENGTH + " characters");
    }
    Optional<String> typeProblem = InputText.textProblem("type", type);
    if (typeProblem.isPresent()) {
      return typeProblem;
    }
    if (eventId.isBlank() || eventId.length() > MAX_ID_LENGTH) {
      return Optional.of("eventId must have 1 to " + MAX_ID_LENGTH + " characters");
    }
    Optional<String> eventIdProblem = InputText.textProblem("eventId", eventId);
    if (eventIdProblem.isPresent()) {
      return eventIdProblem;
    }
    if (timestamp.isAfter(limits.latestTimestampAt(now))) {
      return Optional.of(
          "timestamp is more than "
              + InputLimits.describe(limits.maxClockSkew())
              + " in the future");
    }
    if (timestamp.isBefore(InputLimits.EARLIEST_TIMESTAMP)) {
      return Optional.of("timestamp is before 1970-01-01T00:00:00Z");
    }
    if (timestamp.isBefore(limits.earliestTimestampAt(now))) {
      return Optional.of(
          "timestamp is more than " + InputLimits.describe(limits.maxEventAge()) + " in the past");
    }
    Optional<String> propertiesProblem = InputText.treeProblem("properties", properties);
    if (propertiesProblem.isPresent()) {
      return propertiesProblem;
    }
    if (PURCHASE.equals(type) && properties.containsKey("amount")) {
      Object amount = properties.get("amount");
      if (!(amount instanceof Number number)) {
        return Optional.of("properties.amount of a purchase must be a number, not " + kind(amount));
      }
      return limits.amountProblem("properties.amount of a purchase", number.doubleValue());
    }
    return Optional.empty();
  }

  private static String kind(Object value) {
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "true or false";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof java.util.List<?>) {
      return "an array";
    }
    return "null";
  }

  /** The order value, for a purchase that carries one. */
  public OptionalDouble orderAmount() {
    if (!PURCHASE.equals(type)) {
      return OptionalDouble.empty();
    }
    return properties.get("amount") instanceof Number number
        ? OptionalDouble.of(number.doubleValue())
        : OptionalDouble.of(0.0);
  }

  public boolean purchase() {
    return PURCHASE.equals(type);
  }

  /**
   * The value at a dotted path: {@code properties.a.b} walks the properties; {@code type}, {@code
   * channel}, {@code userId} and {@code eventId} name the event's own fields.
   */
  public Optional<Object> valueAt(String path) {
    switch (path) {
      case "type":
        return Optional.of(type);
      case "channel":
        return Optional.of(channel.wireName());
      case "userId":
        return Optional.of(userId);
      case "eventId":
        return Optional.of(eventId);
      default:
        break;
    }
    String[] segments = path.split("\\.");
    if (segments.length < 2 || !segments[0].equals("properties")) {
      return Optional.empty();
    }
    Object current = properties;
    for (int i = 1; i < segments.length; i++) {
      if (!(current instanceof Map<?, ?> map)) {
        return Optional.empty();
      }
      current = map.get(segments[i]);
      if (current == null) {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }
}
