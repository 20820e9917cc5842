package io.pulse.engine.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One thing a user did, as accepted from an app. Properties are a JSON-like tree of maps, lists,
 * strings, numbers and booleans.
 */
public record BehaviouralEvent(
    String eventId,
    String userId,
    String type,
    Channel channel,
    Instant timestamp,
    Map<String, Object> properties) {

  public static final String PURCHASE = "purchase";
  static final int MAX_ID_LENGTH = 256;
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  public BehaviouralEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(timestamp, "timestamp");
    properties = properties == null ? Map.of() : properties;
  }

  /** Why this event cannot be accepted at {@code now}, if it cannot. */
  public Optional<String> problemAt(Instant now) {
    if (userId.isBlank()) {
      return Optional.of("userId must not be blank");
    }
    if (userId.length() > MAX_ID_LENGTH) {
      return Optional.of("userId is longer than " + MAX_ID_LENGTH + " characters");
    }
    if (type.isBlank()) {
      return Optional.of("type must not be blank");
    }
    if (type.length() > MAX_ID_LENGTH) {
      return Optional.of("type is longer than " + MAX_ID_LENGTH + " characters");
    }
    if (eventId.isBlank() || eventId.length() > MAX_ID_LENGTH) {
      return Optional.of("eventId must have 1 to " + MAX_ID_LENGTH + " characters");
    }
    if (timestamp.isAfter(now.plus(MAX_CLOCK_SKEW))) {
      return Optional.of("timestamp is more than 5 minutes in the future");
    }
    if (PURCHASE.equals(type) && properties.containsKey("amount")) {
      Object amount = properties.get("amount");
      if (!(amount instanceof Number number)
          || !Double.isFinite(number.doubleValue())
          || number.doubleValue() < 0) {
        return Optional.of("properties.amount of a purchase must be a non-negative finite number");
      }
    }
    return Optional.empty();
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
