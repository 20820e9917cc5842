package io.pulse.engine.domain.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A right a key may carry; each route needs exactly one. */
public enum Scope {
  EVENTS_WRITE("events:write"),
  USERS_READ("users:read"),
  USERS_WRITE("users:write"),
  MODELS_READ("models:read"),
  MODELS_WRITE("models:write"),
  AUDIENCES_READ("audiences:read"),
  AUDIENCES_WRITE("audiences:write"),
  CAMPAIGNS_READ("campaigns:read"),
  CAMPAIGNS_WRITE("campaigns:write"),
  VOUCHERS_REDEEM("vouchers:redeem"),
  TRANSITIONS_READ("transitions:read"),
  SUBSCRIPTIONS_WRITE("subscriptions:write"),
  STATS_READ("stats:read"),
  METRICS_READ("metrics:read"),
  /** Tenants and keys, and every other scope, in the key's own tenant. */
  ADMIN("admin");

  private static final Map<String, Scope> BY_WIRE_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(Scope::wireName, Function.identity()));

  private final String wireName;

  Scope(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The scope a stored or sent name stands for. */
  @JsonCreator
  public static Scope ofWireName(String name) {
    return fromWire(name)
        .orElseThrow(() -> new IllegalArgumentException("not a scope: '" + name + "'"));
  }

  public static Optional<Scope> fromWire(String name) {
    return Optional.ofNullable(name == null ? null : BY_WIRE_NAME.get(name));
  }

  /** Every wire name, in declaration order, for messages that list them. */
  public static String wireNames() {
    return Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", "));
  }
}
