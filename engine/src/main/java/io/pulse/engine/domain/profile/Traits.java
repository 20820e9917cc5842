package io.pulse.engine.domain.profile;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.TraitsChanged;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What is known about a user beyond behaviour: country, plan, birthday, the time zone. Each value
 * is a string, a number, a boolean or a list of strings; an ISO-8601 date ({@code 1990-03-17}) or
 * date-time string is also read as an instant where a date is asked for. Immutable; the answer to a
 * change of traits, so it crosses nodes.
 */
public record Traits(Map<String, Object> values) implements CborSerializable {

  public static final Traits NONE = new Traits(Map.of());

  public Traits {
    values = values == null ? Map.of() : normalized(values);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public Optional<Object> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * The value of {@code key} as an instant: a date-time as it is, a date at the start of its day in
   * UTC; empty when the trait is absent or not a date.
   */
  public Optional<Instant> instantOf(String key) {
    return get(key)
        .filter(String.class::isInstance)
        .map(String.class::cast)
        .flatMap(Traits::instant);
  }

  /** The value of {@code key} as a calendar date (a date-time's UTC day); empty if not a date. */
  public Optional<LocalDate> dateOf(String key) {
    Optional<Object> value = get(key);
    if (value.isEmpty() || !(value.get() instanceof String text)) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(text));
    } catch (DateTimeParseException notADate) {
      return instant(text).map(at -> at.atOffset(ZoneOffset.UTC).toLocalDate());
    }
  }

  /** A string read as an instant: an ISO date (start of day, UTC) or date-time with an offset. */
  public static Optional<Instant> instant(String text) {
    try {
      return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeParseException notADate) {
      try {
        return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
      } catch (DateTimeParseException notADateTime) {
        return Optional.empty();
      }
    }
  }

  /** The outcome of a merge patch: the change to journal, or why it is refused. */
  public record Patched(TraitsChanged change, List<String> problems) {
    public boolean refused() {
      return !problems.isEmpty();
    }
  }

  /**
   * Applies a JSON merge patch (RFC 7396) at {@code at}: a value sets a trait, null removes it.
   * Refused, changing nothing, when a key or value is out of {@code limits}, a value is not one of
   * the kinds a trait may hold, or the traits would be more than allowed; each problem names its
   * trait.
   */
  public Patched patch(Map<String, ?> patch, TraitLimits limits, Instant at) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> set = new TreeMap<>();
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, ?> entry : patch.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      Optional<String> keyProblem = keyProblem(key, limits);
      if (keyProblem.isPresent()) {
        problems.add(keyProblem.get());
        continue;
      }
      if (value == null) {
        if (values.containsKey(key)) {
          removed.add(key);
        }
        continue;
      }
      Optional<String> valueProblem = valueProblem(key, value, limits);
      if (valueProblem.isPresent()) {
        problems.add(valueProblem.get());
        continue;
      }
      Object normal = normal(value);
      if (!normal.equals(values.get(key))) {
        set.put(key, normal);
      }
    }
    if (problems.isEmpty()) {
      int count = values.size() - removed.size();
      for (String key : set.keySet()) {
        if (!values.containsKey(key)) {
          count++;
        }
      }
      if (count > limits.maxTraits()) {
        problems.add(
            "traits: a user may have at most "
                + limits.maxTraits()
                + " traits; this makes "
                + count);
      }
    }
    if (!problems.isEmpty()) {
      return new Patched(null, List.copyOf(problems));
    }
    Collections.sort(removed);
    return new Patched(new TraitsChanged(set, removed, at), List.of());
  }

  public Traits apply(TraitsChanged change) {
    if (change.isEmpty()) {
      return this;
    }
    Map<String, Object> next = new TreeMap<>(values);
    change.removed().forEach(next::remove);
    next.putAll(change.set());
    return new Traits(next);
  }

  private static Optional<String> keyProblem(String key, TraitLimits limits) {
    if (key == null || key.isEmpty()) {
      return Optional.of("traits: a trait name must not be empty");
    }
    if (key.length() > limits.maxKeyLength()) {
      return Optional.of(
          "traits."
              + abbreviated(key)
              + ": a trait name may have at most "
              + limits.maxKeyLength()
              + " characters");
    }
    if (key.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("traits: a trait name must not contain control characters");
    }
    return Optional.empty();
  }

  private static Optional<String> valueProblem(String key, Object value, TraitLimits limits) {
    String field = "traits." + key;
    if (value instanceof String text) {
      return bytes(text) > limits.maxValueBytes()
          ? Optional.of(field + " may have at most " + limits.maxValueBytes() + " bytes")
          : Optional.empty();
    }
    if (value instanceof Number number) {
      double real = number.doubleValue();
      return Double.isFinite(real)
          ? Optional.empty()
          : Optional.of(field + " must be a finite number");
    }
    if (value instanceof Boolean) {
      return Optional.empty();
    }
    if (value instanceof List<?> list) {
      long total = 0;
      for (Object element : list) {
        if (!(element instanceof String text)) {
          return Optional.of(field + " must be a list of strings");
        }
        total += bytes(text);
      }
      return total > limits.maxValueBytes()
          ? Optional.of(field + " may have at most " + limits.maxValueBytes() + " bytes")
          : Optional.empty();
    }
    return Optional.of(
        field + " must be a string, a number, a boolean, a date or a list of strings");
  }

  private static int bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String abbreviated(String key) {
    return key.length() <= 32 ? key : key.substring(0, 32) + "…";
  }

  /** Numbers as doubles and lists as immutable lists, so that equal traits are equal records. */
  public static Map<String, Object> normalized(Map<String, ?> values) {
    Map<String, Object> normal = new LinkedHashMap<>();
    new TreeMap<>(values)
        .forEach((key, value) -> normal.put(key, normal(Objects.requireNonNull(value, key))));
    return Collections.unmodifiableMap(normal);
  }

  private static Object normal(Object value) {
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof List<?> list) {
      return List.copyOf(list);
    }
    return value;
  }
}
