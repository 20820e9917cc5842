package io.pulse.engine.domain.promotion;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.watch.DateWatch;
import io.pulse.engine.domain.watch.EventWatch;
import io.pulse.engine.domain.watch.WatchHit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a campaign fires on, one of four kinds:
 *
 * <ul>
 *   <li>a band: the transitions of {@code model} that enter (or leave) one of {@code bands}, any
 *       band name of the model or {@code inactive}, the segment of a user gone quiet;
 *   <li>an audience: a user entering (or leaving) {@code audience};
 *   <li>an event: each accepted event that matches {@code event}, or with {@code occurrence} only
 *       the user's n-th such event since their first, which happens once per user;
 *   <li>a date: the yearly moment of {@code date}, once per user and year.
 * </ul>
 *
 * {@code direction} goes with a band or an audience only.
 */
public record Trigger(
    String model,
    TriggerDirection direction,
    List<String> bands,
    String audience,
    EventMatch event,
    Integer occurrence,
    DateWatch date) {

  /** The kinds of trigger. */
  public enum Kind {
    BAND,
    AUDIENCE,
    EVENT,
    DATE
  }

  /** The highest occurrence a trigger may wait for. */
  public static final int MAX_OCCURRENCE = 1_000_000;

  /** The longest event type a trigger may name, as long as an event's own type may be. */
  public static final int MAX_EVENT_TYPE = 256;

  public Trigger {
    bands = bands == null ? List.of() : List.copyOf(bands);
    if (audience == null && event == null && date == null) {
      Objects.requireNonNull(direction, "direction");
    }
  }

  /** A band trigger. */
  public Trigger(String model, TriggerDirection direction, List<String> bands) {
    this(model, direction, bands, null, null, null, null);
  }

  public static Trigger entered(String model, String... bands) {
    return new Trigger(model, TriggerDirection.ENTERED, List.of(bands));
  }

  public static Trigger exited(String model, String... bands) {
    return new Trigger(model, TriggerDirection.EXITED, List.of(bands));
  }

  public static Trigger audience(String audience, TriggerDirection direction) {
    return new Trigger(null, direction, List.of(), audience, null, null, null);
  }

  public static Trigger event(EventMatch event) {
    return new Trigger(null, null, List.of(), null, event, null, null);
  }

  public static Trigger occurrence(EventMatch event, int occurrence) {
    return new Trigger(null, null, List.of(), null, event, occurrence, null);
  }

  public static Trigger date(DateWatch date) {
    return new Trigger(null, null, List.of(), null, null, null, date);
  }

  public Kind kind() {
    if (audience != null) {
      return Kind.AUDIENCE;
    }
    if (event != null) {
      return Kind.EVENT;
    }
    return date != null ? Kind.DATE : Kind.BAND;
  }

  public boolean matches(SegmentTransition transition) {
    if (kind() != Kind.BAND || !transition.model().equals(model)) {
      return false;
    }
    return direction == TriggerDirection.ENTERED
        ? transition.to() != null && bands.contains(transition.to())
        : transition.from() != null && bands.contains(transition.from());
  }

  /**
   * What this trigger fires on, as the occasions it makes carry it: two triggers with the same key
   * fire on the same occasions.
   */
  public String key() {
    return switch (kind()) {
      case BAND -> "band:" + model + ":" + direction.wireName() + ":" + bands;
      case AUDIENCE -> "audience:" + audience + ":" + direction.wireName();
      case EVENT -> EventWatch.keyOf(event) + (occurrence == null ? "" : "#" + occurrence);
      case DATE -> date.key();
    };
  }

  /**
   * The occasion {@code change} of a user gives this trigger, if it fires on it: an audience
   * entered or left, an event it watches (the n-th, for an occurrence), a date reached. A band
   * trigger fires on {@link #matches(SegmentTransition) transitions} instead.
   */
  public Optional<Occasion> occasionOf(EngagementChange change) {
    return occasions().apply(change);
  }

  /**
   * {@link #occasionOf} for a stream of changes: the keys it compares are worked out once, not for
   * every change.
   */
  public Function<EngagementChange, Optional<Occasion>> occasions() {
    String key = kind() == Kind.BAND ? null : key();
    String watch =
        switch (kind()) {
          case EVENT -> EventWatch.keyOf(event);
          case DATE -> date.key();
          default -> null;
        };
    return change -> occasionOf(change, key, watch);
  }

  private Optional<Occasion> occasionOf(EngagementChange change, String key, String watch) {
    switch (kind()) {
      case AUDIENCE -> {
        if (change instanceof AudienceTransition transition
            && transition.audience().equals(audience)
            && (direction == TriggerDirection.ENTERED
                ? transition.entered()
                : transition.from() != null && !transition.entered())) {
          return Optional.of(
              new Occasion(key, transition.id(), transition.userId(), transition.at()));
        }
      }
      case EVENT -> {
        if (change instanceof ScoredEvent scored && !scored.watchHits().isEmpty()) {
          for (WatchHit hit : scored.watchHits()) {
            if (hit.watch().equals(watch)
                && (occurrence == null || hit.occurrence() == occurrence)) {
              String userId = scored.event().userId();
              return Optional.of(
                  new Occasion(
                      key,
                      Occasion.eventId(userId, scored.event().eventId()),
                      userId,
                      scored.event().timestamp()));
            }
          }
        }
      }
      case DATE -> {
        if (change instanceof DateReached reached && reached.watch().equals(watch)) {
          return Optional.of(new Occasion(key, reached.id(), reached.userId(), reached.at()));
        }
      }
      default -> {
        // Bands fire on segment transitions, through matches.
      }
    }
    return Optional.empty();
  }

  /** The events users must mark for this trigger; none but for an event trigger. */
  public Optional<EventWatch> eventWatch() {
    return kind() == Kind.EVENT
        ? Optional.of(new EventWatch(event, occurrence != null))
        : Optional.empty();
  }

  /** Every way in which this trigger is unusable, each naming the field under {@code at}. */
  public List<String> problems(String at) {
    List<String> problems = new ArrayList<>();
    int kinds =
        (model != null ? 1 : 0)
            + (audience != null ? 1 : 0)
            + (event != null ? 1 : 0)
            + (date != null ? 1 : 0);
    if (kinds > 1) {
      problems.add(at + " must be one kind: a model's bands, an audience, an event or a date");
      return problems;
    }
    switch (kind()) {
      case BAND -> bandProblems(at, problems);
      case AUDIENCE -> {
        if (!Audience.isValidId(audience)) {
          problems.add(at + ".audience must be an audience's id");
        }
        if (direction == null) {
          problems.add(at + " needs exactly one of entered and exited");
        }
      }
      case EVENT -> eventProblems(at, problems);
      case DATE -> problems.addAll(date.problems(at + ".date"));
    }
    return problems;
  }

  private void bandProblems(String at, List<String> problems) {
    if (model == null || model.isBlank()) {
      problems.add(at + ".model is required");
    }
    if (bands.isEmpty()) {
      problems.add(at + "." + direction.wireName() + " must name at least one band");
    }
    for (int i = 0; i < bands.size(); i++) {
      if (bands.get(i) == null || bands.get(i).isBlank()) {
        problems.add(at + "." + direction.wireName() + "[" + i + "] must be a band name");
      }
    }
  }

  private void eventProblems(String at, List<String> problems) {
    if (direction != null) {
      problems.add(at + ": an event trigger takes no " + direction.wireName());
    }
    if (event.type().isBlank() || event.type().length() > MAX_EVENT_TYPE) {
      problems.add(at + ".event must name an event type (1 to " + MAX_EVENT_TYPE + " characters)");
    }
    for (Condition condition : event.where()) {
      condition.problem().ifPresent(problem -> problems.add(at + ".where: " + problem));
    }
    if (occurrence != null && (occurrence < 1 || occurrence > MAX_OCCURRENCE)) {
      problems.add(at + ".occurrence must be a whole number from 1 to " + MAX_OCCURRENCE);
    }
  }
}
