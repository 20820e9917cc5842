package io.pulse.engine.domain.promotion;

import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

/** Campaigns, transitions and a given/when/then driver for the promotion domain tests. */
final class Promotions {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private Promotions() {}

  /** A loyalty campaign: users entering engagement:high get 10% off, 30 days, one each. */
  static Campaign loyalty() {
    return new Campaign(
        "loyalty",
        "Loyalty",
        Trigger.entered("engagement", "high"),
        Offer.percent(10, null),
        Map.of(),
        new CodePattern("VIP-######"),
        1,
        Budget.UNLIMITED,
        30,
        null,
        null,
        0,
        0,
        true);
  }

  static Campaign with(Campaign c, Budget budget) {
    return new Campaign(
        c.id(),
        c.name(),
        c.trigger(),
        c.offer(),
        c.tiers(),
        c.codePattern(),
        c.perUserLimit(),
        budget,
        c.validityDays(),
        c.startsAt(),
        c.endsAt(),
        c.minimumOrderAmount(),
        c.controlGroupPercent(),
        c.active());
  }

  static Campaign withControl(Campaign c, double percent) {
    return new Campaign(
        c.id(),
        c.name(),
        c.trigger(),
        c.offer(),
        c.tiers(),
        c.codePattern(),
        c.perUserLimit(),
        c.budget(),
        c.validityDays(),
        c.startsAt(),
        c.endsAt(),
        c.minimumOrderAmount(),
        percent,
        c.active());
  }

  static Campaign withLimit(Campaign c, int perUserLimit) {
    return new Campaign(
        c.id(),
        c.name(),
        c.trigger(),
        c.offer(),
        c.tiers(),
        c.codePattern(),
        perUserLimit,
        c.budget(),
        c.validityDays(),
        c.startsAt(),
        c.endsAt(),
        c.minimumOrderAmount(),
        c.controlGroupPercent(),
        c.active());
  }

  static Campaign withDates(Campaign c, Instant startsAt, Instant endsAt) {
    return new Campaign(
        c.id(),
        c.name(),
        c.trigger(),
        c.offer(),
        c.tiers(),
        c.codePattern(),
        c.perUserLimit(),
        c.budget(),
        c.validityDays(),
        startsAt,
        endsAt,
        c.minimumOrderAmount(),
        c.controlGroupPercent(),
        c.active());
  }

  static Campaign withOffers(Campaign c, Trigger trigger, Offer offer, Map<String, Offer> tiers) {
    return new Campaign(
        c.id(),
        c.name(),
        trigger,
        offer,
        tiers,
        c.codePattern(),
        c.perUserLimit(),
        c.budget(),
        c.validityDays(),
        c.startsAt(),
        c.endsAt(),
        c.minimumOrderAmount(),
        c.controlGroupPercent(),
        c.active());
  }

  static Campaign withMinimumOrder(Campaign c, double minimum) {
    return new Campaign(
        c.id(),
        c.name(),
        c.trigger(),
        c.offer(),
        c.tiers(),
        c.codePattern(),
        c.perUserLimit(),
        c.budget(),
        c.validityDays(),
        c.startsAt(),
        c.endsAt(),
        minimum,
        c.controlGroupPercent(),
        c.active());
  }

  /** {@code c} firing on {@code trigger}, redeemable by members of {@code eligibleAudience}. */
  static Campaign on(Campaign c, Trigger trigger, String eligibleAudience) {
    return new Campaign(
        c.id(),
        c.name(),
        trigger,
        c.offer(),
        c.tiers(),
        c.codePattern(),
        c.perUserLimit(),
        c.budget(),
        c.validityDays(),
        c.startsAt(),
        c.endsAt(),
        c.minimumOrderAmount(),
        c.controlGroupPercent(),
        c.active(),
        eligibleAudience);
  }

  /** The {@code n}th transition of {@code user} in engagement, from one band to another. */
  static SegmentTransition transition(String user, int n, String from, String to, Instant at) {
    return new SegmentTransition(
        user + ":engagement:" + n, user, "engagement", from, to, 7.2, at, TransitionCause.EVENT);
  }

  static SegmentTransition enteredHigh(String user, int n) {
    return transition(user, n, "medium", "high", T0);
  }

  /**
   * A campaign in the making: events are decided and applied as the entity does, with a seeded
   * random source so that codes are repeatable.
   */
  static final class Given {
    CampaignState state = CampaignState.empty();
    Instant now = T0;
    long offset = 0;
    final RandomGenerator random;
    final List<CampaignEvent> journal = new ArrayList<>();

    Given(Campaign campaign) {
      this(campaign, new Random(42));
    }

    Given(Campaign campaign, RandomGenerator random) {
      this.random = random;
      apply(state.define(campaign, now).orElseThrow());
    }

    void apply(CampaignEvent event) {
      journal.add(event);
      state = state.apply(event);
    }

    Given later(Duration by) {
      now = now.plus(by);
      return this;
    }

    Given redefine(Campaign campaign) {
      state.define(campaign, now).ifPresent(this::apply);
      return this;
    }

    /** Offers a transition as the projection does; null when it was a redelivery. */
    TransitionConsidered offer(SegmentTransition transition) {
      offset++;
      if (state.hasConsidered(transition)) {
        return null;
      }
      TransitionConsidered considered = state.decide(transition, offset, now, random);
      apply(considered);
      if (considered.voucher() != null) {
        apply(state.confirm(considered.voucher().code()).orElseThrow());
      }
      return considered;
    }

    /**
     * Offers an occasion found at journal {@code at} as the projection does; null when it was a
     * redelivery.
     */
    OccasionConsidered offer(Occasion occasion, long at) {
      if (state.hasConsidered(occasion, at)) {
        return null;
      }
      OccasionConsidered considered = state.decide(occasion, at, now, random);
      apply(considered);
      if (considered.voucher() != null) {
        apply(state.confirm(considered.voucher().code()).orElseThrow());
      }
      return considered;
    }

    RedemptionAttempt redeem(String code, String user, double orderAmount, List<String> audiences) {
      RedemptionAttempt attempt = state.redeem(code, user, orderAmount, audiences, now);
      if (attempt.succeeded()) {
        apply(attempt.redeemed());
      }
      return attempt;
    }

    Outcome outcomeOf(SegmentTransition transition) {
      TransitionConsidered considered = offer(transition);
      return considered == null ? null : considered.outcome();
    }

    RedemptionAttempt redeem(String code, String user, double orderAmount) {
      RedemptionAttempt attempt = state.redeem(code, user, orderAmount, now);
      if (attempt.succeeded()) {
        apply(attempt.redeemed());
      }
      return attempt;
    }

    boolean purchase(String user, String eventId, Instant at) {
      offset++;
      var conversion = state.purchase(user, eventId, offset, at);
      conversion.ifPresent(this::apply);
      return conversion.isPresent();
    }

    Voucher onlyVoucherOf(String user) {
      List<Voucher> vouchers = state.vouchersOf(user);
      if (vouchers.size() != 1) {
        throw new AssertionError("expected one voucher of " + user + ": " + vouchers);
      }
      return vouchers.get(0);
    }

    /** Replays the journal from nothing, as recovery does. */
    CampaignState recovered() {
      CampaignState replayed = CampaignState.empty();
      for (CampaignEvent event : journal) {
        replayed = replayed.apply(event);
      }
      return replayed;
    }
  }
}
