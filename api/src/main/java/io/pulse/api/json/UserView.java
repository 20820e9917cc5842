package io.pulse.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.engine.domain.CustomerMetrics;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.ModelStanding;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.UserEngagement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user as {@code GET /v1/users/{id}} shows it: every score, and every audience the user is in, is
 * the value now; {@code traits} are as last set.
 */
public record UserView(
    String userId,
    Map<String, ScoreView> scores,
    List<String> segments,
    MetricsView metrics,
    Map<String, Object> traits,
    List<String> audiences) {

  /**
   * One model's standing; {@code modelVersion} is the version it is computed under, the previous
   * one while a changed model is still re-scoring this user.
   */
  public record ScoreView(
      double score,
      String band,
      double points,
      String updatedAt,
      boolean inactive,
      long modelVersion) {}

  /** Customer metrics; absent figures (no orders yet) are left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricsView(
      long events,
      long orders,
      double revenue,
      Double averageOrderValue,
      double purchaseFrequency,
      boolean repeatPurchaser,
      Long daysSinceLastPurchase,
      String firstSeen,
      String lastSeen) {}

  public static UserView of(UserEngagement user, ScoringModels models, Instant now) {
    return of(user, Definitions.of(models), now);
  }

  public static UserView of(UserEngagement user, Definitions definitions, Instant now) {
    ScoringModels models = definitions.models();
    Map<String, ScoreView> scores = new LinkedHashMap<>();
    List<String> segments = new ArrayList<>();
    for (ScoringModel current : models.all()) {
      ScoringModel model = models.forReading(current, user);
      ModelStanding standing = user.standingIn(model, now);
      boolean inactive = user.inactiveIn(model, now);
      scores.put(
          current.id(),
          new ScoreView(
              standing.score(),
              standing.band(),
              standing.points(),
              text(standing.updatedAt()),
              inactive,
              model.version()));
      segments.add(current.id() + ":" + standing.band());
      if (inactive) {
        segments.add(current.id() + ":" + SegmentTransition.INACTIVE);
      }
    }
    CustomerMetrics metrics = user.metrics();
    return new UserView(
        user.userId(),
        scores,
        segments,
        new MetricsView(
            metrics.events(),
            metrics.orders(),
            money(metrics.revenue()),
            metrics.averageOrderValue().isPresent()
                ? money(metrics.averageOrderValue().getAsDouble())
                : null,
            metrics.purchaseFrequency(now),
            metrics.repeatPurchaser(),
            metrics.lastPurchaseAt() == null
                ? null
                : Duration.between(metrics.lastPurchaseAt(), now).toDays(),
            text(metrics.firstSeen()),
            text(metrics.lastSeen())),
        user.traits().values(),
        // What time alone has changed since the user was last decided is shown already; its
        // transitions follow within the wake-up resolution.
        user.wakeUp(definitions, now).state().audiences().memberships());
  }

  /**
   * Sums of order amounts are shown in cents, without binary floating-point noise. Beyond 10^15 a
   * double holds no cents to round to, and its cents would no longer fit in a long.
   */
  static double money(double value) {
    return Math.abs(value) < 1e15 ? Math.round(value * 100) / 100.0 : value;
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
