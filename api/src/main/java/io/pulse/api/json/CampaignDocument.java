package io.pulse.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.domain.InputLimits;
import io.pulse.engine.domain.promotion.Budget;
import io.pulse.engine.domain.promotion.Campaign;
import io.pulse.engine.domain.promotion.CodePattern;
import io.pulse.engine.domain.promotion.Offer;
import io.pulse.engine.domain.promotion.OfferType;
import io.pulse.engine.domain.promotion.Trigger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign as it travels over HTTP (see docs/api.md). On the way in, {@code version}, {@code
 * createdAt} and {@code updatedAt} are ignored; on the way out they say which definition this is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CampaignDocument(
    String id,
    String name,
    JsonNode trigger,
    OfferDocument offer,
    Map<String, OfferDocument> tiers,
    String codePattern,
    Integer perUserLimit,
    BudgetDocument budget,
    Integer validityDays,
    String startsAt,
    String endsAt,
    Double minimumOrderAmount,
    Double controlGroupPercent,
    Boolean active,
    String eligibleAudience,
    Long version,
    String createdAt,
    String updatedAt) {

  /**
   * {@code {"type": "percent" | "fixed_amount" | "free_shipping", "value": 10, "maxDiscount": 25}},
   * and for a discount that ships for free too, {@code "freeShipping": true} with the {@code
   * "shippingCost"} it costs if known.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OfferDocument(
      String type, Double value, Double maxDiscount, Boolean freeShipping, Double shippingCost) {

    public OfferDocument(String type, Double value, Double maxDiscount) {
      this(type, value, maxDiscount, null, null);
    }

    public static OfferDocument of(Offer offer) {
      return new OfferDocument(
          offer.type().wireName(),
          offer.value(),
          offer.maxDiscount(),
          offer.freeShipping(),
          offer.shippingCost());
    }
  }

  /** At most {@code maxVouchers} vouchers and {@code maxDiscount} in discounts; both optional. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BudgetDocument(Integer maxVouchers, Double maxDiscount) {}

  /**
   * Every problem with the document, each naming its field; none when {@code campaign} is usable.
   * {@code campaign} is what the document describes, when its shape allowed to build it at all, so
   * that further checks (against the models) can report their problems too.
   */
  public record Result(Campaign campaign, List<String> problems) {}

  public static CampaignDocument of(
      Campaign campaign, long version, Instant createdAt, Instant updatedAt) {
    Map<String, OfferDocument> tiers = null;
    if (!campaign.tiers().isEmpty()) {
      tiers = new LinkedHashMap<>();
      for (Map.Entry<String, Offer> tier : campaign.tiers().entrySet()) {
        tiers.put(tier.getKey(), OfferDocument.of(tier.getValue()));
      }
    }
    Budget budget = campaign.budget();
    return new CampaignDocument(
        campaign.id(),
        campaign.name(),
        TriggerDocument.of(campaign.trigger()),
        campaign.offer() == null ? null : OfferDocument.of(campaign.offer()),
        tiers,
        campaign.codePattern().pattern(),
        campaign.perUserLimit(),
        budget.maxVouchers() == null && budget.maxDiscount() == null
            ? null
            : new BudgetDocument(budget.maxVouchers(), budget.maxDiscount()),
        campaign.validityDays(),
        campaign.startsAt() == null ? null : campaign.startsAt().toString(),
        campaign.endsAt() == null ? null : campaign.endsAt().toString(),
        campaign.minimumOrderAmount(),
        campaign.controlGroupPercent(),
        campaign.active(),
        campaign.eligibleAudience(),
        version,
        createdAt.toString(),
        updatedAt.toString());
  }

  /**
   * The campaign this document describes for {@code pathId}: shape problems here, rule problems
   * from the domain's own validation within {@code limits}.
   */
  public Result toCampaign(String pathId, InputLimits limits) {
    List<String> problems = new ArrayList<>();
    if (id != null && !id.equals(pathId)) {
      problems.add("id '" + id + "' differs from the id in the path '" + pathId + "'");
    }
    Trigger domainTrigger = TriggerDocument.read(trigger, problems).orElse(null);
    Offer domainOffer = offer == null ? null : offerOf(offer, "offer", problems);
    Map<String, Offer> domainTiers = new LinkedHashMap<>();
    if (tiers != null) {
      tiers.forEach(
          (band, tier) -> {
            if (tier == null) {
              problems.add("tiers." + band + " must be an offer");
            } else {
              Offer tierOffer = offerOf(tier, "tiers." + band, problems);
              if (tierOffer != null) {
                domainTiers.put(band, tierOffer);
              }
            }
          });
    }
    if (budget != null && budget.maxVouchers() == null && budget.maxDiscount() == null) {
      problems.add("budget needs maxVouchers, maxDiscount or both");
    }
    Instant starts = instantOf(startsAt, "startsAt", problems);
    Instant ends = instantOf(endsAt, "endsAt", problems);
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    Campaign campaign =
        new Campaign(
            pathId,
            name,
            domainTrigger,
            domainOffer,
            domainTiers,
            codePattern == null ? CodePattern.DEFAULT : new CodePattern(codePattern),
            perUserLimit == null ? Campaign.DEFAULT_PER_USER_LIMIT : perUserLimit,
            budget == null
                ? Budget.UNLIMITED
                : new Budget(budget.maxVouchers(), budget.maxDiscount()),
            validityDays == null ? Campaign.DEFAULT_VALIDITY_DAYS : validityDays,
            starts,
            ends,
            minimumOrderAmount == null ? 0 : minimumOrderAmount,
            controlGroupPercent == null ? 0 : controlGroupPercent,
            active == null || active,
            eligibleAudience);
    return new Result(campaign, campaign.problems(limits));
  }

  private static Offer offerOf(OfferDocument document, String at, List<String> problems) {
    int before = problems.size();
    OfferType type = null;
    if (document.type() == null) {
      problems.add(at + ".type is required: percent, fixed_amount or free_shipping");
    } else {
      type = OfferType.fromWire(document.type()).orElse(null);
      if (type == null) {
        problems.add(
            at
                + ".type '"
                + document.type()
                + "' is not one of percent, fixed_amount, free_shipping");
      }
    }
    if (document.value() == null && type != OfferType.FREE_SHIPPING) {
      problems.add(at + ".value is required");
    }
    if (problems.size() > before) {
      return null;
    }
    double value = document.value() == null ? 0 : document.value();
    Offer offer =
        new Offer(
            type, value, document.maxDiscount(), document.freeShipping(), document.shippingCost());
    problems.addAll(offer.problems(at));
    return problems.size() > before ? null : offer;
  }

  private static Instant instantOf(String text, String field, List<String> problems) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(field + " must be an ISO-8601 UTC instant such as 2026-12-01T00:00:00Z");
      return null;
    }
  }
}
