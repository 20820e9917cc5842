package io.pulse.loadtest.gen;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Relative weights of the event types; {@link #pick} draws a type with those probabilities. */
public final class EventMix {

  /**
   * Opens and page views dominate real engagement streams; purchases and support contacts are rare
   * but are exactly the events scoring rules care most about.
   */
  public static final String DEFAULT_SPEC =
      "email_open=30,page_view=28,app_session=12,email_click=10,push_click=10,purchase=5,"
          + "support_contact=5";

  private final Map<EventType, Integer> weights;
  private final EventType[] types;
  private final int[] cumulative;
  private final int total;

  private EventMix(Map<EventType, Integer> weights) {
    this.weights = Collections.unmodifiableMap(new EnumMap<>(weights));
    long sum = 0;
    int positive = 0;
    for (int weight : weights.values()) {
      if (weight < 0) {
        throw new IllegalArgumentException("event weights must not be negative: " + weights);
      }
      sum += weight;
      if (weight > 0) {
        positive++;
      }
    }
    if (sum <= 0 || sum > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("event weights must add up to a positive int: " + weights);
    }
    this.types = new EventType[positive];
    this.cumulative = new int[positive];
    int running = 0;
    int i = 0;
    // Heaviest types first, so the linear scan in pick() usually stops after one or two steps.
    for (Map.Entry<EventType, Integer> entry : sortedByWeight(weights)) {
      if (entry.getValue() > 0) {
        running += entry.getValue();
        types[i] = entry.getKey();
        cumulative[i] = running;
        i++;
      }
    }
    this.total = running;
  }

  public static EventMix defaults() {
    return parse(DEFAULT_SPEC);
  }

  /** Parses {@code type=weight,type=weight,...}; types left out get weight 0. */
  public static EventMix parse(String spec) {
    Map<EventType, Integer> weights = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      weights.put(type, 0);
    }
    for (String part : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expected type=weight, got '" + part.trim() + "'");
      }
      EventType type = EventType.fromWireName(part.substring(0, eq));
      int weight;
      try {
        weight = Integer.parseInt(part.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "weight of " + type.wireName() + " is not an integer", e);
      }
      weights.put(type, weight);
    }
    return new EventMix(weights);
  }

  public EventType pick(RandomGenerator random) {
    int r = random.nextInt(total);
    for (int i = 0; i < cumulative.length - 1; i++) {
      if (r < cumulative[i]) {
        return types[i];
      }
    }
    return types[types.length - 1];
  }

  /** The probability that {@link #pick} returns {@code type}. */
  public double probability(EventType type) {
    return weights.getOrDefault(type, 0) / (double) total;
  }

  /** Weights by wire name, in declaration order, for reports. */
  public Map<String, Integer> weightsByName() {
    Map<String, Integer> byName = new LinkedHashMap<>();
    weights.forEach((type, weight) -> byName.put(type.wireName(), weight));
    return byName;
  }

  public String spec() {
    StringBuilder spec = new StringBuilder();
    weightsByName()
        .forEach(
            (name, weight) -> {
              if (weight > 0) {
                spec.append(spec.length() == 0 ? "" : ",").append(name).append('=').append(weight);
              }
            });
    return spec.toString();
  }

  private static Iterable<Map.Entry<EventType, Integer>> sortedByWeight(
      Map<EventType, Integer> weights) {
    return weights.entrySet().stream()
        .sorted(Map.Entry.<EventType, Integer>comparingByValue().reversed())
        .toList();
  }

  @Override
  public String toString() {
    return spec();
  }
}
