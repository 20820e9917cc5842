package io.pulse.engine.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One user's standing in one model: decayed points as of {@code asOf}, the current band, how many
 * transitions were emitted (for stable transition ids) and the per-rule counts of the latest UTC
 * days for daily caps.
 */
public record ModelScore(
    String model,
    long modelVersion,
    double points,
    Instant asOf,
    String band,
    long transitions,
    Map<String, Integer> dailyCounts,
    boolean inactive) {

  public ModelScore {
    Objects.requireNonNull(model, "model");
    dailyCounts = dailyCounts == null ? Map.of() : Map.copyOf(dailyCounts);
  }

  /** A standing of an active user. */
  public ModelScore(
      String model,
      long modelVersion,
      double points,
      Instant asOf,
      String band,
      long transitions,
      Map<String, Integer> dailyCounts) {
    this(model, modelVersion, points, asOf, band, transitions, dailyCounts, false);
  }

  public static ModelScore empty(String model) {
    return new ModelScore(model, 0, 0, null, null, 0, Map.of(), false);
  }

  /** The same standing with points, counts and version from a replay of the user's history. */
  ModelScore replacedBy(ModelScore replayed, long version) {
    return new ModelScore(
        model,
        version,
        replayed.points,
        replayed.asOf,
        band,
        transitions,
        replayed.dailyCounts,
        inactive);
  }

  /** Nothing left of the model but the transition count, which keeps transition ids unique. */
  ModelScore forgotten() {
    return new ModelScore(model, 0, 0, null, null, transitions, Map.of(), false);
  }

  /** The decayed points at {@code at} under {@code scoring}. */
  public double pointsAt(Instant at, ScoringModel scoring) {
    return asOf == null ? 0 : scoring.decay(Saturating.clamp(points), asOf, at);
  }

  /** The moment scoring is evaluated for an event: the event's time, never before what we hold. */
  Instant evaluationTime(Instant eventTime) {
    return asOf == null || eventTime.isAfter(asOf) ? eventTime : asOf;
  }

  /** How many UTC days of rule counts are kept: a capped rule counts events up to 7 days late. */
  static final int CAP_DAYS = 7;

  /**
   * Whether the counts of {@code day} are still kept. A capped rule does not count an event of a
   * forgotten day, since it cannot know whether that day's cap was already reached.
   */
  boolean keepsCountsOf(String day) {
    return asOf == null || day.compareTo(oldestKeptDay(asOf)) >= 0;
  }

  private static String oldestKeptDay(Instant newest) {
    return dayText(epochDayOf(newest) - (CAP_DAYS - 1));
  }

  int countOn(String day, int rule) {
    return dailyCounts.getOrDefault(countKey(day, rule), 0);
  }

  /** Adds {@code awarded} points earned at {@code eventTime}, decaying what was held before. */
  ModelAward award(
      ScoringModel scoring, double awarded, List<Integer> countedRules, Instant eventTime) {
    // Points journaled before sums saturated may be infinite or NaN: they continue from the limit.
    double held = Saturating.clamp(points);
    double after;
    Instant asOfAfter;
    if (asOf == null) {
      after = awarded;
      asOfAfter = eventTime;
    } else if (!eventTime.isBefore(asOf)) {
      after = scoring.decay(held, asOf, eventTime) + awarded;
      asOfAfter = eventTime;
    } else {
      // A late event: its points have already decayed by the time we hold.
      after = held + scoring.decay(awarded, eventTime, asOf);
      asOfAfter = asOf;
    }
    return new ModelAward(
        model,
        scoring.version(),
        awarded,
        countedRules,
        utcDay(eventTime),
        Saturating.clamp(after),
        asOfAfter);
  }

  ModelScore apply(ModelAward award) {
    return new ModelScore(
        model,
        award.modelVersion(),
        award.pointsAfter(),
        award.asOfAfter(),
        band,
        transitions,
        countsAfter(award),
        inactive);
  }

  /** The daily counts with the award's capped rules counted and the days too old dropped. */
  private Map<String, Integer> countsAfter(ModelAward award) {
    if (award.countedRules().isEmpty() && dailyCounts.isEmpty()) {
      // Most events touch no capped rule: nothing to count and nothing to expire.
      return dailyCounts;
    }
    Map<String, Integer> counts = new HashMap<>();
    String keep = oldestKeptDay(award.asOfAfter());
    for (Map.Entry<String, Integer> entry : dailyCounts.entrySet()) {
      // Keys start with the ISO day, so string order is day order.
      if (entry.getKey().compareTo(keep) >= 0) {
        counts.put(entry.getKey(), entry.getValue());
      }
    }
    for (int rule : award.countedRules()) {
      counts.merge(countKey(award.day(), rule), 1, Integer::sum);
    }
    return counts;
  }

  /** Follows a transition: into a band, or into or out of the inactive segment. */
  ModelScore follow(SegmentTransition transition) {
    boolean nowInactive = inactive;
    String nowBand = band;
    if (SegmentTransition.INACTIVE.equals(transition.to())) {
      nowInactive = true;
    } else if (SegmentTransition.INACTIVE.equals(transition.from())) {
      nowInactive = false;
    } else {
      nowBand = transition.to();
    }
    return new ModelScore(
        model,
        Math.max(modelVersion, transition.modelVersion()),
        points,
        asOf,
        nowBand,
        transitions + 1,
        dailyCounts,
        nowInactive);
  }

  static String utcDay(Instant at) {
    return dayText(epochDayOf(at));
  }

  private static long epochDayOf(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), 86_400L);
  }

  /**
   * A UTC day, its ISO text, and the count keys of its first rules as they are first asked for:
   * every event that a capped rule counts looks its day's count up and adds to it, and a key made
   * anew each time is a string built and hashed anew each time.
   */
  private record Day(long epochDay, String text, AtomicReferenceArray<String> ruleKeys) {
    Day(long epochDay, String text) {
      this(epochDay, text, new AtomicReferenceArray<>(KEYED_RULES));
    }
  }

  /** Rules whose count keys are kept per day; a model with more builds the others' each time. */
  private static final int KEYED_RULES = 32;

  /**
   * The ISO text of the days written out last, by day modulo their number: nearly every event falls
   * on the day of the one before it, and every event with a capped rule also asks for the first day
   * its counts keep, six days earlier, in another slot. Each slot holds an immutable pair, so that
   * threads share them safely.
   */
  private static final AtomicReferenceArray<Day> DAYS = new AtomicReferenceArray<>(8);

  private static String dayText(long epochDay) {
    int slot = (int) Math.floorMod(epochDay, DAYS.length());
    Day known = DAYS.get(slot);
    if (known != null && known.epochDay() == epochDay) {
      return known.text();
    }
    String text = LocalDate.ofEpochDay(epochDay).toString();
    DAYS.set(slot, new Day(epochDay, text));
    return text;
  }

  /** The key of a rule's count on a day: {@code <ISO day>#<rule>}. */
  static String countKey(String day, int rule) {
    if (rule >= 0 && rule < KEYED_RULES) {
      for (int slot = 0; slot < DAYS.length(); slot++) {
        Day known = DAYS.get(slot);
        // The same object that dayText handed out: days come from it, so identity finds them.
        if (known != null && known.text() == day) {
          String key = known.ruleKeys().get(rule);
          if (key == null) {
            key = day + "#" + rule;
            known.ruleKeys().set(rule, key);
          }
          return key;
        }
      }
    }
    return day + "#" + rule;
  }
}
