package io.pulse.engine.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a model turns a user's events into a score and a band.
 *
 * <p>Each matching rule adds its points at the event's time. Points decay exponentially with {@code
 * halfLifeDays} (no decay when it is null). The decayed points {@code p} map onto the scale by
 * {@code score = min + (max - min) * (1 - e^(-max(p, 0) / saturationPoints))}: monotone, {@code
 * min} for no points, and approaching {@code max} as points grow; {@code saturationPoints} is where
 * a user has covered 63% (1 - 1/e) of the scale.
 */
public record ScoringModel(
    String id,
    String name,
    long version,
    List<ScoringRule> rules,
    Double halfLifeDays,
    Scale scale,
    List<Band> bands,
    double saturationPoints,
    InactivityThreshold inactiveAfter) {

  public static final double DEFAULT_SATURATION_POINTS = 50;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final double SECONDS_PER_DAY = 86_400.0;

  public ScoringModel {
    Objects.requireNonNull(id, "id");
    name = name == null ? id : name;
    rules = rules == null ? List.of() : List.copyOf(rules);
    scale = scale == null ? Scale.DEFAULT : scale;
    bands = bands == null ? List.of() : List.copyOf(bands);
  }

  /** A model without an inactivity threshold. */
  public ScoringModel(
      String id,
      String name,
      long version,
      List<ScoringRule> rules,
      Double halfLifeDays,
      Scale scale,
      List<Band> bands,
      double saturationPoints) {
    this(id, name, version, rules, halfLifeDays, scale, bands, saturationPoints, null);
  }

  /** The same model under another version number. */
  public ScoringModel withVersion(long newVersion) {
    return new ScoringModel(
        id, name, newVersion, rules, halfLifeDays, scale, bands, saturationPoints, inactiveAfter);
  }

  /** The same content, ignoring the version: a PUT of an unchanged model is not a new version. */
  public boolean sameDefinitionAs(ScoringModel other) {
    return withVersion(0).equals(other.withVersion(0));
  }

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Every way in which this model is unusable within {@code limits}, each naming the field. */
  public List<String> problems(InputLimits limits) {
    List<String> problems = new ArrayList<>();
    if (!isValidId(id)) {
      problems.add(
          "id must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    if (!InputText.isWellFormed(name)) {
      problems.add("name " + InputText.NOT_UNICODE);
    }
    if (rules.isEmpty()) {
      problems.add("rules must contain at least one rule");
    }
    if (rules.size() > limits.maxRulesPerModel()) {
      // One problem for the count, not thousands for the rules themselves.
      problems.add(
          "rules may contain at most " + limits.maxRulesPerModel() + ", had " + rules.size());
      return problems;
    }
    for (int i = 0; i < rules.size(); i++) {
      problems.addAll(rules.get(i).problems("rules[" + i + "]", limits));
    }
    if (halfLifeDays != null && !(halfLifeDays > 0 && Double.isFinite(halfLifeDays))) {
      problems.add("halfLifeDays must be a positive number of days, was " + halfLifeDays);
    }
    if (!(saturationPoints > 0 && Double.isFinite(saturationPoints))) {
      problems.add("saturationPoints must be positive, was " + saturationPoints);
    }
    if (!(Double.isFinite(scale.min()) && Double.isFinite(scale.max()))
        || scale.min() >= scale.max()
        || !Double.isFinite(scale.span())) {
      problems.add("scale.min must be below scale.max, was " + scale.min() + " and " + scale.max());
      return problems;
    }
    problems.addAll(bandProblems());
    return problems;
  }

  private List<String> bandProblems() {
    List<String> problems = new ArrayList<>();
    if (bands.isEmpty()) {
      problems.add("bands must contain at least one band");
      return problems;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < bands.size(); i++) {
      Band band = bands.get(i);
      String at = "bands[" + i + "]";
      if (!band.name().matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
        problems.add(at + ".name must be 1 to 64 letters, digits, '_' or '-'");
      } else if (band.name().equals("inactive")) {
        problems.add(at + ".name 'inactive' is reserved for the inactivity segment");
      } else if (!names.add(band.name())) {
        problems.add(at + ".name '" + band.name() + "' is used by more than one band");
      }
      if (!(band.from() < band.to())) {
        problems.add(at + " ('" + band.name() + "') must have from < to");
      }
    }
    Band first = bands.get(0);
    if (first.from() != scale.min()) {
      problems.add(
          "bands must start at scale.min "
              + scale.min()
              + ", but '"
              + first.name()
              + "' starts at "
              + first.from());
    }
    for (int i = 1; i < bands.size(); i++) {
      Band previous = bands.get(i - 1);
      Band band = bands.get(i);
      if (band.from() > previous.to()) {
        problems.add(
            "bands have a gap between "
                + previous.to()
                + " ('"
                + previous.name()
                + "' ends) and "
                + band.from()
                + " ('"
                + band.name()
                + "' starts)");
      } else if (band.from() < previous.to()) {
        problems.add(
            "bands '"
                + previous.name()
                + "' and '"
                + band.name()
                + "' overlap between "
                + band.from()
                + " and "
                + previous.to()
                + " (list bands in ascending order)");
      }
    }
    Band last = bands.get(bands.size() - 1);
    if (last.to() != scale.max()) {
      problems.add(
          "bands must end at scale.max "
              + scale.max()
              + ", but '"
              + last.name()
              + "' ends at "
              + last.to());
    }
    return problems;
  }

  /** The score on this model's scale for some decayed points. */
  public double scoreFor(double points) {
    // Written so that points that are not a number count as none rather than spreading NaN.
    double held = points > 0 ? points : 0;
    double covered = 1 - Math.exp(-held / saturationPoints);
    return scale.min() + scale.span() * covered;
  }

  /** The band a score falls into; scores outside the scale fall into the nearest end band. */
  public String bandFor(double score) {
    for (int i = 0; i < bands.size() - 1; i++) {
      if (score < bands.get(i).to()) {
        return bands.get(i).name();
      }
    }
    return bands.get(bands.size() - 1).name();
  }

  /** The decayed points at which the score reaches {@code score}; the inverse of scoreFor. */
  public double pointsForScore(double score) {
    double covered = (score - scale.min()) / scale.span();
    if (covered <= 0) {
      return 0;
    }
    if (covered >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    return -saturationPoints * Math.log(1 - covered);
  }

  /**
   * When decay alone takes {@code points}, held at {@code asOf}, below the floor of {@code band};
   * empty for the lowest band, an unknown band, or a model without decay.
   */
  public Optional<Instant> decayLeaves(String band, double points, Instant asOf) {
    int index = bandIndex(band);
    if (halfLifeDays == null || asOf == null || index <= 0) {
      return Optional.empty();
    }
    double floor = pointsForScore(bands.get(index).from());
    if (!(floor > 0) || points <= floor) {
      return Optional.of(asOf);
    }
    double seconds = halfLifeDays * SECONDS_PER_DAY * (Math.log(points / floor) / Math.log(2));
    return Optional.of(asOf.plusNanos((long) Math.ceil(seconds * 1e9)));
  }

  /**
   * When decay alone takes {@code points}, held at {@code asOf}, down to {@code target} points;
   * empty without decay, or when the points are not above the target.
   */
  public Optional<Instant> decayReaches(double target, double points, Instant asOf) {
    if (halfLifeDays == null || asOf == null || !(target > 0) || !(points > target)) {
      return Optional.empty();
    }
    double seconds = halfLifeDays * SECONDS_PER_DAY * (Math.log(points / target) / Math.log(2));
    return Optional.of(asOf.plusNanos((long) Math.ceil(seconds * 1e9)));
  }

  /** The band right below {@code band}, or null for the lowest or an unknown band. */
  public String bandBelow(String band) {
    int index = bandIndex(band);
    return index <= 0 ? null : bands.get(index - 1).name();
  }

  private int bandIndex(String band) {
    for (int i = 0; i < bands.size(); i++) {
      if (bands.get(i).name().equals(band)) {
        return i;
      }
    }
    return -1;
  }

  /** Points held at {@code since}, decayed to {@code until} (not grown when until is earlier). */
  public double decay(double points, Instant since, Instant until) {
    if (halfLifeDays == null || points == 0 || !until.isAfter(since)) {
      return points;
    }
    return points * decayFactor(Duration.between(since, until));
  }

  /** How much of a point is left after {@code elapsed}: {@code 2^(-elapsed / halfLife)}. */
  public double decayFactor(Duration elapsed) {
    if (halfLifeDays == null) {
      return 1.0;
    }
    double seconds = elapsed.getSeconds() + elapsed.getNano() / 1e9;
    return Math.pow(2, -seconds / (halfLifeDays * SECONDS_PER_DAY));
  }

  /** The model every fresh server starts with. */
  public static ScoringModel defaultEngagement() {
    return new ScoringModel(
        "engagement",
        "Overall engagement",
        1,
        List.of(
            ScoringRule.of("email_open", Channel.EMAIL, 3),
            ScoringRule.of("email_click", Channel.EMAIL, 5),
            ScoringRule.of("push_click", Channel.PUSH, 4),
            ScoringRule.of("page_view", null, 1),
            ScoringRule.of("app_session", null, 2),
            new ScoringRule("purchase", null, 10, List.of(), 3),
            ScoringRule.of("support_contact", null, 2)),
        30.0,
        Scale.DEFAULT,
        List.of(new Band("low", 1, 4), new Band("medium", 4, 7), new Band("high", 7, 10)),
        DEFAULT_SATURATION_POINTS);
  }
}
