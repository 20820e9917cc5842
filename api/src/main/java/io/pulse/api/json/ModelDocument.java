package io.pulse.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.InactivityThreshold;
import io.pulse.engine.domain.InputLimits;
import io.pulse.engine.domain.PointsPer;
import io.pulse.engine.domain.Scale;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringRule;
import io.pulse.engine.model.RescoringProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A scoring model as it travels over HTTP (see API.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDocument(
    String id,
    String name,
    Long version,
    List<RuleDocument> rules,
    Double halfLifeDays,
    ScaleDocument scale,
    List<BandDocument> bands,
    Double saturationPoints,
    String inactiveAfter,
    RescoringDocument rescoring) {

  /**
   * Progress of re-scoring users after this version was stored: {@code done} of {@code total} users
   * ({@code total} is -1 while being counted); users not yet re-scored are shown under the previous
   * version.
   */
  public record RescoringDocument(long done, long total, boolean finished) {}

  /** One scoring rule; {@code where} maps a dotted path to operator/operand pairs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RuleDocument(
      String event,
      String channel,
      Double points,
      PointsPerDocument pointsPer,
      Double maxPoints,
      Map<String, Map<String, Object>> where,
      Integer dailyCap) {}

  /** Points for each unit of the number at {@code property}. */
  public record PointsPerDocument(String property, Double points) {}

  /** The score range. */
  public record ScaleDocument(Double min, Double max) {}

  /** A named half-open score range. */
  public record BandDocument(String name, Double from, Double to) {}

  public static ModelDocument of(ScoringModel model) {
    return of(model, null);
  }

  /** The document of a model, with the progress of the re-scoring its version started. */
  public static ModelDocument of(ScoringModel model, RescoringProgress progress) {
    List<RuleDocument> rules = new ArrayList<>();
    for (ScoringRule rule : model.rules()) {
      Map<String, Map<String, Object>> where = WhereConditions.of(rule.where());
      rules.add(
          new RuleDocument(
              rule.event(),
              rule.channel() == null ? null : rule.channel().wireName(),
              rule.pointsPer() == null ? rule.points() : null,
              rule.pointsPer() == null
                  ? null
                  : new PointsPerDocument(rule.pointsPer().property(), rule.pointsPer().points()),
              rule.maxPoints(),
              where,
              rule.dailyCap()));
    }
    List<BandDocument> bands =
        model.bands().stream()
            .map(band -> new BandDocument(band.name(), band.from(), band.to()))
            .toList();
    return new ModelDocument(
        model.id(),
        model.name(),
        model.version(),
        rules,
        model.halfLifeDays(),
        new ScaleDocument(model.scale().min(), model.scale().max()),
        bands,
        model.saturationPoints(),
        model.inactiveAfter() == null ? null : model.inactiveAfter().text(),
        progress == null || progress.version() != model.version() || progress.forget()
            ? null
            : new RescoringDocument(progress.done(), progress.total(), progress.finished()));
  }

  /**
   * The domain model this document describes for {@code pathId}, or every problem found in it:
   * shape problems here, rule problems from the domain's own validation within {@code limits}.
   */
  public Result toModel(String pathId, InputLimits limits) {
    List<String> problems = new ArrayList<>();
    if (id != null && !id.equals(pathId)) {
      problems.add("id '" + id + "' differs from the id in the path '" + pathId + "'");
    }
    if (rules == null) {
      problems.add("rules is required");
    }
    if (bands == null) {
      problems.add("bands is required");
    }
    List<ScoringRule> domainRules = new ArrayList<>();
    if (rules != null) {
      for (int i = 0; i < rules.size(); i++) {
        ruleOf(rules.get(i), "rules[" + i + "]", problems).ifPresent(domainRules::add);
      }
    }
    List<Band> domainBands = new ArrayList<>();
    if (bands != null) {
      for (int i = 0; i < bands.size(); i++) {
        BandDocument band = bands.get(i);
        if (band == null || band.name() == null || band.from() == null || band.to() == null) {
          problems.add("bands[" + i + "] needs name, from and to");
        } else {
          domainBands.add(new Band(band.name(), band.from(), band.to()));
        }
      }
    }
    InactivityThreshold threshold = null;
    if (inactiveAfter != null) {
      InactivityThreshold.Parsed parsed = InactivityThreshold.parse(inactiveAfter);
      if (parsed.problem() != null) {
        problems.add(parsed.problem());
      } else {
        threshold = parsed.threshold();
      }
    }
    Scale domainScale = Scale.DEFAULT;
    if (scale != null) {
      if (scale.min() == null || scale.max() == null) {
        problems.add("scale needs min and max");
      } else {
        domainScale = new Scale(scale.min(), scale.max());
      }
    }
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    ScoringModel model =
        new ScoringModel(
            pathId,
            name,
            0,
            domainRules,
            halfLifeDays,
            domainScale,
            domainBands,
            saturationPoints == null ? ScoringModel.DEFAULT_SATURATION_POINTS : saturationPoints,
            threshold);
    List<String> domainProblems = model.problems(limits);
    return domainProblems.isEmpty()
        ? new Result(model, List.of())
        : new Result(null, domainProblems);
  }

  private static Optional<ScoringRule> ruleOf(RuleDocument rule, String at, List<String> problems) {
    if (rule == null) {
      problems.add(at + " must be an object");
      return Optional.empty();
    }
    int before = problems.size();
    if (rule.event() == null) {
      problems.add(at + ".event is required");
    }
    if ((rule.points() == null) == (rule.pointsPer() == null)) {
      problems.add(at + " must have exactly one of points and pointsPer");
    }
    if (rule.pointsPer() != null) {
      if (rule.pointsPer().property() == null) {
        problems.add(at + ".pointsPer.property is required");
      }
      if (rule.pointsPer().points() == null) {
        problems.add(at + ".pointsPer.points is required");
      }
    }
    Channel channel = null;
    if (rule.channel() != null) {
      channel = Channel.fromWireName(rule.channel()).orElse(null);
      if (channel == null) {
        problems.add(at + ".channel '" + rule.channel() + "' is not one of " + Channel.wireNames());
      }
    }
    List<Condition> conditions = WhereConditions.read(at, rule.where(), problems);
    if (problems.size() > before) {
      return Optional.empty();
    }
    if (rule.pointsPer() != null) {
      return Optional.of(
          ScoringRule.proportional(
              rule.event(),
              channel,
              new PointsPer(rule.pointsPer().property(), rule.pointsPer().points()),
              rule.maxPoints(),
              conditions,
              rule.dailyCap()));
    }
    return Optional.of(
        new ScoringRule(
            rule.event(),
            channel,
            rule.points(),
            conditions,
            rule.dailyCap(),
            null,
            rule.maxPoints()));
  }

  /** A model, or the problems that prevent it. */
  public record Result(ScoringModel model, List<String> problems) {}
}
