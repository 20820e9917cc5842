package io.pulse.engine.domain.promotion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 * minimumOrderAmount}.
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
    boolean active) {

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

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Every way in which this campaign is unusable, each naming the field at fault. */
  public List<String> problems() {
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
          if (trigger != null && !reachable(band)) {
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
    if (!Double.isFinite(controlGroupPercent)
        || controlGroupPercent < 0
        || controlGroupPercent > 100) {
      problems.add("controlGroupPercent must be between 0 and 100");
    }
    return problems;
  }

  /** Whether a tier for {@code band} can apply: some matching transition enters it. */
  private boolean reachable(String band) {
    return trigger.direction() == TriggerDirection.ENTERED
        ? trigger.bands().contains(band)
        : !trigger.bands().contains(band);
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
        on);
  }
}
