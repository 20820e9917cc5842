package io.pulse.engine.domain.promotion;

import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.InputLimits;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.watch.CampaignWatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A promotion: when a transition matches its trigger, the user gets a unique voucher with the offer
 * of the band they entered ({@code tiers}, else {@code offer}), unless the campaign is switched
 * off, outside its dates, over its budget, the user has had {@code perUserLimit} vouchers already,
 * or the user is in its control group.
 *
 * <p>{@code startsAt} null means from the campaign's creation; {@code endsAt} null means no end. A
 * voucher is valid for {@code validityDays} from its issue and needs an order of at least {@code
 * minimumOrderAmount}; with {@code eligibleAudience}, only a member of that audience at the moment
 * of redemption may redeem it.
 */
public record Campaign(
    String id,
    String name,
    Trigger trigger,
    Offer offer,
    Map<String, Offer> tiers,
    CodePattern codePattern,
    int perUserLimit,
    Budget budget,
    int validityDays,
    Instant startsAt,
    Instant endsAt,
    double minimumOrderAmount,
    double controlGroupPercent,
    boolean active,
    String eligibleAudience) {

  public static final int DEFAULT_PER_USER_LIMIT = 1;
  public static final int DEFAULT_VALIDITY_DAYS = 30;
  public static final int MAX_PER_USER_LIMIT = 1000;
  public static final int MAX_VALIDITY_DAYS = 3650;
  public static final int MAX_NAME_LENGTH = 200;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  public Campaign {
    Objects.requireNonNull(id, "id");
    name = name == null ? id : name;
    tiers = tiers == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tiers));
    codePattern = codePattern == null ? CodePattern.DEFAULT : codePattern;
    budget = budget == null ? Budget.UNLIMITED : budget;
  }

  /** A campaign that anyone it issues to may redeem. */
  public Campaign(
      String id,
      String name,
      Trigger trigger,
      Offer offer,
      Map<String, Offer> tiers,
      CodePattern codePattern,
      int perUserLimit,
      Budget budget,
      int validityDays,
      Instant startsAt,
      Instant endsAt,
      double minimumOrderAmount,
      double controlGroupPercent,
      boolean active) {
    this(
        id,
        name,
        trigger,
        offer,
        tiers,
        codePattern,
        perUserLimit,
        budget,
        validityDays,
        startsAt,
        endsAt,
        minimumOrderAmount,
        controlGroupPercent,
        active,
        null);
  }

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Every way in which this campaign is unusable within {@code limits}, each naming the field. */
  public List<String> problems(InputLimits limits) {
    List<String> problems = new ArrayList<>();
    if (!isValidId(id)) {
      problems.add(
          "id must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      problems.add("name must be at most " + MAX_NAME_LENGTH + " characters");
    }
    if (trigger == null) {
      problems.add("trigger is required");
    } else {
      problems.addAll(trigger.problems("trigger"));
    }
    if (offer == null && tiers.isEmpty()) {
      problems.add("offer is required unless tiers give an offer per band");
    }
    if (trigger != null && trigger.kind() != Trigger.Kind.BAND && !tiers.isEmpty()) {
      problems.add("tiers give an offer per band: they apply to a band trigger only");
    }
    if (eligibleAudience != null && !Audience.isValidId(eligibleAudience)) {
      problems.add("eligibleAudience must be an audience's id");
    }
    if (offer != null) {
      problems.addAll(offer.problems("offer"));
    }
    tiers.forEach(
        (band, tierOffer) -> {
          String at = "tiers." + band;
          if (tierOffer == null) {
            problems.add(at + " must be an offer");
            return;
          }
          problems.addAll(tierOffer.problems(at));
          if (trigger != null && trigger.kind() == Trigger.Kind.BAND && !reachable(band)) {
            problems.add(
                at
                    + " can never apply: a user "
                    + trigger.direction().wireName()
                    + " "
                    + trigger.bands()
                    + " never enters '"
                    + band
                    + "'");
          }
        });
    problems.addAll(codePattern.problems("codePattern"));
    if (perUserLimit < 1 || perUserLimit > MAX_PER_USER_LIMIT) {
      problems.add("perUserLimit must be between 1 and " + MAX_PER_USER_LIMIT);
    }
    problems.addAll(budget.problems("budget"));
    if (budget.maxDiscount() != null) {
      if (offer != null && Double.isInfinite(offer.mostItCanCost())) {
        problems.add(
            "offer.maxDiscount is required for a percent offer when budget.maxDiscount is set");
      }
      tiers.forEach(
          (band, tierOffer) -> {
            if (tierOffer != null && Double.isInfinite(tierOffer.mostItCanCost())) {
              problems.add(
                  "tiers."
                      + band
                      + ".maxDiscount is required for a percent offer when budget.maxDiscount is"
                      + " set");
            }
          });
    }
    if (validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
      problems.add("validityDays must be between 1 and " + MAX_VALIDITY_DAYS);
    }
    if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
      problems.add("endsAt must be after startsAt");
    }
    if (!Double.isFinite(minimumOrderAmount) || minimumOrderAmount < 0) {
      problems.add("minimumOrderAmount must be a non-negative amount");
    }
    problems.addAll(amountProblems(limits));
    if (!Double.isFinite(controlGroupPercent)
        || controlGroupPercent < 0
        || controlGroupPercent > 100) {
      problems.add("controlGroupPercent must be between 0 and 100");
    }
    return problems;
  }

  /**
   * Every way in which this campaign does not fit {@code models}: the trigger's model must exist,
   * and every band the trigger or a tier names must be one of its bands (or {@code inactive}). A
   * trigger without a model is left to {@link #problems()}.
   */
  public List<String> problemsAgainst(ScoringModels models) {
    String modelId = trigger == null ? null : trigger.model();
    if (modelId == null || modelId.isBlank() || trigger.kind() != Trigger.Kind.BAND) {
      return List.of();
    }
    Optional<ScoringModel> model = models.get(modelId);
    if (model.isEmpty()) {
      return List.of("trigger.model '" + modelId + "' is not a scoring model");
    }
    List<String> bands = new ArrayList<>(model.get().bands().stream().map(Band::name).toList());
    bands.add(SegmentTransition.INACTIVE);
    String known = "a band of model '" + modelId + "' (" + String.join(", ", bands) + ")";
    List<String> problems = new ArrayList<>();
    String direction = trigger.direction().wireName();
    for (String band : trigger.bands()) {
      if (!bands.contains(band)) {
        problems.add("trigger." + direction + " '" + band + "' is not " + known);
      }
    }
    for (String band : tiers.keySet()) {
      if (!bands.contains(band)) {
        problems.add("tiers." + band + " is not " + known);
      }
    }
    return problems;
  }

  /**
   * Amounts beyond the largest one: sums of discounts and reservations then stay far from where a
   * double loses cents or overflows.
   */
  private List<String> amountProblems(InputLimits limits) {
    List<String> problems = new ArrayList<>();
    Map<String, Offer> offers = new LinkedHashMap<>();
    if (offer != null) {
      offers.put("offer", offer);
    }
    tiers.forEach((band, tierOffer) -> offers.put("tiers." + band, tierOffer));
    offers.forEach(
        (at, each) -> {
          if (each == null) {
            return;
          }
          if (each.type() != OfferType.PERCENT && Double.isFinite(each.value())) {
            limits.amountProblem(at + ".value", each.value()).ifPresent(problems::add);
          }
          if (each.maxDiscount() != null && Double.isFinite(each.maxDiscount())) {
            limits.amountProblem(at + ".maxDiscount", each.maxDiscount()).ifPresent(problems::add);
          }
        });
    if (budget.maxDiscount() != null && Double.isFinite(budget.maxDiscount())) {
      limits.amountProblem("budget.maxDiscount", budget.maxDiscount()).ifPresent(problems::add);
    }
    if (Double.isFinite(minimumOrderAmount) && minimumOrderAmount >= 0) {
      limits.amountProblem("minimumOrderAmount", minimumOrderAmount).ifPresent(problems::add);
    }
    return problems;
  }

  /** Whether a tier for {@code band} can apply: some matching transition enters it. */
  private boolean reachable(String band) {
    return trigger.direction() == TriggerDirection.ENTERED
        ? trigger.bands().contains(band)
        : !trigger.bands().contains(band);
  }

  /**
   * What this campaign asks of its tenant's definitions: the audiences it names, which must exist
   * and are kept while it does, and, while it is active, the events or the yearly date its users
   * must mark.
   */
  public CampaignWatch watch() {
    Map<String, String> audiences = new TreeMap<>();
    if (trigger != null && trigger.kind() == Trigger.Kind.AUDIENCE) {
      audiences.put(CampaignWatch.TRIGGER_AUDIENCE, trigger.audience());
    }
    if (eligibleAudience != null) {
      audiences.put("eligibleAudience", eligibleAudience);
    }
    if (!active || trigger == null) {
      return new CampaignWatch(audiences, null, null);
    }
    return new CampaignWatch(audiences, trigger.eventWatch().orElse(null), trigger.date());
  }

  /** The offer for a user entering {@code band}: its tier, else the campaign's offer. */
  public Optional<Offer> offerFor(String band) {
    if (band != null && tiers.containsKey(band)) {
      return Optional.of(tiers.get(band));
    }
    return Optional.ofNullable(offer);
  }

  public boolean inControlGroup(String userId) {
    return ControlGroup.contains(id, userId, controlGroupPercent);
  }

  /** The same definition switched on or off. */
  public Campaign withActive(boolean on) {
    return new Campaign(
        id,
        name,
        trigger,
        offer,
        tiers,
        codePattern,
        perUserLimit,
        budget,
        validityDays,
        startsAt,
        endsAt,
        minimumOrderAmount,
        controlGroupPercent,
        on,
        eligibleAudience);
  }
}
