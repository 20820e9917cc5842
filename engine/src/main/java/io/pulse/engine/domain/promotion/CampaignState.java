package io.pulse.engine.domain.promotion;

import io.pulse.engine.domain.SegmentTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Everything one campaign knows: its definition, its vouchers by code, its participants by user,
 * and its totals. Commands are decided by the methods that return events; {@link #apply} is the
 * only way the state changes. One campaign is one single writer, which is what keeps its budget
 * from being overspent: every decision sees every earlier one.
 */
public record CampaignState(
    Campaign campaign,
    long version,
    Instant createdAt,
    Instant updatedAt,
    Map<String, Voucher> vouchers,
    Map<String, Participant> participants,
    CampaignCounts counts)
    implements PromotionJournaled {

  private static final Duration DAY = Duration.ofDays(1);

  public CampaignState {
    vouchers = ChunkedMap.copyOf(vouchers);
    participants = ChunkedMap.copyOf(participants);
    counts = counts == null ? CampaignCounts.NONE : counts;
  }

  public static CampaignState empty() {
    return new CampaignState(null, 0, null, null, Map.of(), Map.of(), CampaignCounts.NONE);
  }

  public boolean defined() {
    return campaign != null;
  }

  /** When transitions start to count: {@code startsAt}, or the campaign's creation. */
  public Instant effectiveStart() {
    return campaign.startsAt() != null ? campaign.startsAt() : createdAt;
  }

  // ---- defining

  /** The event that stores {@code definition}; empty when it is what is stored already. */
  public Optional<CampaignDefined> define(Campaign definition, Instant now) {
    if (definition.equals(campaign)) {
      return Optional.empty();
    }
    return Optional.of(new CampaignDefined(definition, now));
  }

  // ---- transitions

  public boolean hasConsidered(SegmentTransition transition) {
    Participant participant = participants.get(transition.userId());
    return participant != null && participant.hasConsidered(transition);
  }

  /** The voucher issued for a transition, if one was. */
  public Optional<Voucher> voucherFor(SegmentTransition transition) {
    return voucherFor(transition.userId(), transition.id());
  }

  /** The voucher issued for an occasion, if one was. */
  public Optional<Voucher> voucherFor(Occasion occasion) {
    return voucherFor(occasion.userId(), occasion.id());
  }

  private Optional<Voucher> voucherFor(String userId, String occasionId) {
    Participant participant = participants.get(userId);
    if (participant == null) {
      return Optional.empty();
    }
    return participant.codes().stream()
        .map(vouchers::get)
        .filter(Objects::nonNull)
        .filter(voucher -> voucher.transitionId().equals(occasionId))
        .findFirst();
  }

  /** Whether the occasion found at journal {@code offset} was considered before. */
  public boolean hasConsidered(Occasion occasion, long offset) {
    Participant participant = participants.get(occasion.userId());
    return participant != null && participant.hasConsideredAt(offset);
  }

  /**
   * What the campaign does with a matching transition it has not considered before, found at
   * journal {@code offset}; {@code random} draws the voucher code.
   */
  public TransitionConsidered decide(
      SegmentTransition transition, long offset, Instant now, RandomGenerator random) {
    Outcome outcome = outcomeOf(transition.userId(), transition.at(), transition.to(), now);
    Voucher voucher =
        outcome == Outcome.ISSUED
            ? issue(transition.userId(), transition.id(), transition.to(), now, random)
            : null;
    return new TransitionConsidered(transition, offset, outcome, voucher, now);
  }

  /**
   * What the campaign does with an occasion of its trigger that it has not considered before, found
   * at journal {@code offset}; {@code random} draws the voucher code.
   */
  public OccasionConsidered decide(
      Occasion occasion, long offset, Instant now, RandomGenerator random) {
    Outcome outcome = outcomeOf(occasion.userId(), occasion.at(), null, now);
    Voucher voucher =
        outcome == Outcome.ISSUED
            ? issue(occasion.userId(), occasion.id(), null, now, random)
            : null;
    return new OccasionConsidered(occasion, offset, outcome, voucher, now);
  }

  private Voucher issue(
      String userId, String occasionId, String band, Instant now, RandomGenerator random) {
    return new Voucher(
        freshCode(random, null),
        campaign.id(),
        userId,
        occasionId,
        band,
        campaign.offerFor(band).orElseThrow(),
        campaign.minimumOrderAmount(),
        now,
        now.plus(DAY.multipliedBy(campaign.validityDays())),
        false,
        null);
  }

  /**
   * The outcome for {@code userId}, whose occasion at {@code at} entered {@code band} (or none).
   */
  private Outcome outcomeOf(String userId, Instant at, String band, Instant now) {
    if (!campaign.active()) {
      return Outcome.INACTIVE;
    }
    if (at.isBefore(effectiveStart())) {
      return Outcome.NOT_STARTED;
    }
    Instant end = campaign.endsAt();
    if (end != null && (!at.isBefore(end) || !now.isBefore(end))) {
      return Outcome.ENDED;
    }
    Participant participant = participants.get(userId);
    if (participant != null && participant.assignments() >= campaign.perUserLimit()) {
      return Outcome.USER_LIMIT;
    }
    Optional<Offer> offer = campaign.offerFor(band);
    if (offer.isEmpty()) {
      return Outcome.NO_OFFER;
    }
    // The budget closes the campaign for everyone, control users included, so that the two
    // groups are drawn from the same period.
    if (!campaign
        .budget()
        .allows(counts.issued(), counts.discountCommitted(), reservationOf(offer.get()))) {
      return Outcome.BUDGET_EXHAUSTED;
    }
    if (campaign.inControlGroup(userId)) {
      return Outcome.CONTROL;
    }
    return Outcome.ISSUED;
  }

  /** What the discount budget reserves for a voucher with {@code offer} until it is redeemed. */
  static double reservationOf(Offer offer) {
    double most = offer.mostItCanCost();
    return Double.isFinite(most) ? most : 0;
  }

  private String freshCode(RandomGenerator random, String avoid) {
    while (true) {
      String code = campaign.codePattern().generate(random);
      if (!vouchers.containsKey(code) && !code.equals(avoid)) {
        return code;
      }
    }
  }

  // ---- codes

  /** Confirms a pending voucher's code; empty when there is no such pending voucher. */
  public Optional<VoucherCodeConfirmed> confirm(String code) {
    Voucher voucher = vouchers.get(code);
    if (voucher == null || voucher.claimed()) {
      return Optional.empty();
    }
    return Optional.of(new VoucherCodeConfirmed(code));
  }

  /** Gives a pending voucher whose code was taken elsewhere a new code; empty if none pending. */
  public Optional<VoucherCodeReplaced> replace(String code, RandomGenerator random) {
    Voucher voucher = vouchers.get(code);
    if (voucher == null || voucher.claimed()) {
      return Optional.empty();
    }
    return Optional.of(new VoucherCodeReplaced(code, freshCode(random, code)));
  }

  // ---- redemption

  /**
   * Whether {@code userId} may redeem {@code code} on an order of {@code orderAmount} now, the user
   * being in no audience.
   */
  public RedemptionAttempt redeem(String code, String userId, double orderAmount, Instant now) {
    return redeem(code, userId, orderAmount, List.of(), now);
  }

  /**
   * Whether {@code userId}, a member of {@code memberships} now, may redeem {@code code} on an
   * order of {@code orderAmount} now.
   */
  public RedemptionAttempt redeem(
      String code, String userId, double orderAmount, List<String> memberships, Instant now) {
    Voucher voucher = vouchers.get(code);
    if (voucher == null || !voucher.claimed()) {
      return RedemptionAttempt.refused(RedemptionRefusal.UNKNOWN_CODE);
    }
    if (!voucher.userId().equals(userId)) {
      return RedemptionAttempt.refused(RedemptionRefusal.NOT_OWNER);
    }
    if (voucher.redemption() != null) {
      return RedemptionAttempt.refused(RedemptionRefusal.ALREADY_REDEEMED);
    }
    if (!now.isBefore(voucher.expiresAt())) {
      return RedemptionAttempt.refused(RedemptionRefusal.EXPIRED);
    }
    if (!campaign.active()) {
      return RedemptionAttempt.refused(RedemptionRefusal.CAMPAIGN_INACTIVE);
    }
    if (campaign.eligibleAudience() != null && !memberships.contains(campaign.eligibleAudience())) {
      return RedemptionAttempt.refused(RedemptionRefusal.NOT_ELIGIBLE);
    }
    if (orderAmount < voucher.minimumOrderAmount()) {
      return RedemptionAttempt.refused(RedemptionRefusal.BELOW_MINIMUM_ORDER);
    }
    double discount = voucher.offer().discountFor(orderAmount);
    return RedemptionAttempt.accepted(
        new VoucherRedeemed(code, new Redemption(now, orderAmount, discount)));
  }

  // ---- conversions

  /** A purchase of {@code userId}: a conversion when it falls in one of the user's windows. */
  public Optional<ConversionRecorded> purchase(
      String userId, String eventId, long offset, Instant at) {
    Participant participant = participants.get(userId);
    if (participant == null || !participant.convertsWith(offset, at)) {
      return Optional.empty();
    }
    return Optional.of(new ConversionRecorded(userId, eventId, offset, at));
  }

  // ---- reading

  /** The user's vouchers whose codes are confirmed, oldest first. */
  public List<Voucher> vouchersOf(String userId) {
    Participant participant = participants.get(userId);
    if (participant == null) {
      return List.of();
    }
    return participant.codes().stream()
        .map(vouchers::get)
        .filter(Objects::nonNull)
        .filter(Voucher::claimed)
        .sorted(Comparator.comparing(Voucher::issuedAt).thenComparing(Voucher::code))
        .toList();
  }

  public CampaignStats stats() {
    Budget budget = campaign.budget();
    long issued = counts.issued();
    Long vouchersLeft =
        budget.maxVouchers() == null ? null : Math.max(0, budget.maxVouchers() - issued);
    Double discountLeft =
        budget.maxDiscount() == null
            ? null
            : Math.max(0, Offer.roundToCents(budget.maxDiscount() - counts.discountCommitted()));
    return new CampaignStats(
        campaign.id(),
        campaign.active(),
        issued,
        counts.redeemed(),
        issued == 0 ? 0 : (double) counts.redeemed() / issued,
        counts.discountGiven(),
        counts.discountCommitted(),
        budget.maxVouchers(),
        vouchersLeft,
        budget.maxDiscount(),
        discountLeft,
        GroupStats.of(counts.treatmentUsers(), counts.treatmentConversions()),
        GroupStats.of(counts.controlUsers(), counts.controlConversions()),
        counts.outcomes());
  }

  // ---- applying events

  public CampaignState apply(CampaignEvent event) {
    if (event instanceof TransitionConsidered considered) {
      return applyConsidered(considered);
    }
    if (event instanceof OccasionConsidered considered) {
      Occasion occasion = considered.occasion();
      Participant before = participants.get(occasion.userId());
      return applyDecision(
          (before == null ? Participant.first(occasion.userId()) : before)
              .consideredAt(considered.offset()),
          occasion.at(),
          considered.offset(),
          considered.outcome(),
          considered.voucher());
    }
    if (event instanceof VoucherCodeConfirmed confirmed) {
      return withVoucher(vouchers.get(confirmed.code()).withClaim());
    }
    if (event instanceof VoucherRedeemed redeemed) {
      return applyRedeemed(redeemed);
    }
    if (event instanceof ConversionRecorded conversion) {
      return applyConversion(conversion);
    }
    if (event instanceof VoucherCodeReplaced replaced) {
      return applyReplaced(replaced);
    }
    return applyDefined((CampaignDefined) event);
  }

  private CampaignState applyDefined(CampaignDefined defined) {
    return new CampaignState(
        defined.campaign(),
        version + 1,
        createdAt == null ? defined.at() : createdAt,
        defined.at(),
        vouchers,
        participants,
        counts);
  }

  private CampaignState applyConsidered(TransitionConsidered considered) {
    SegmentTransition transition = considered.transition();
    Participant before = participants.get(transition.userId());
    return applyDecision(
        (before == null ? Participant.first(transition.userId()) : before).considered(transition),
        transition.at(),
        considered.offset(),
        considered.outcome(),
        considered.voucher());
  }

  /**
   * A decision about {@code participant} (already marked as considered) on an occasion dated {@code
   * at} at journal {@code offset}: counted, and for the treatment or control group an assignment
   * with its conversion window and, when issued, its voucher.
   */
  private CampaignState applyDecision(
      Participant participant, Instant at, long offset, Outcome outcome, Voucher voucher) {
    CampaignCounts newCounts = counts.withOutcome(outcome);
    Map<String, Voucher> newVouchers = vouchers;
    CampaignGroup group =
        switch (outcome) {
          case ISSUED -> CampaignGroup.TREATMENT;
          case CONTROL -> CampaignGroup.CONTROL;
          default -> null;
        };
    if (group != null) {
      ConversionWindow window =
          new ConversionWindow(offset, at.plus(DAY.multipliedBy(campaign.validityDays())));
      if (participant.group() == null) {
        newCounts = newCounts.withNewUserIn(group);
      }
      participant = participant.assigned(group, window, voucher == null ? null : voucher.code());
      if (voucher != null) {
        newVouchers = ChunkedMap.with(vouchers, voucher.code(), voucher);
        newCounts = newCounts.withCommitted(reservationOf(voucher.offer()));
      }
    }
    return new CampaignState(
        campaign,
        version,
        createdAt,
        updatedAt,
        newVouchers,
        ChunkedMap.with(participants, participant.userId(), participant),
        newCounts);
  }

  private CampaignState applyReplaced(VoucherCodeReplaced replaced) {
    Voucher voucher = vouchers.get(replaced.code()).withCode(replaced.newCode());
    Participant participant =
        participants.get(voucher.userId()).withCodeReplaced(replaced.code(), replaced.newCode());
    return new CampaignState(
        campaign,
        version,
        createdAt,
        updatedAt,
        ChunkedMap.copyOf(vouchers).without(replaced.code()).with(voucher.code(), voucher),
        ChunkedMap.with(participants, participant.userId(), participant),
        counts);
  }

  private CampaignState applyRedeemed(VoucherRedeemed redeemed) {
    Voucher voucher = vouchers.get(redeemed.code());
    double discount = redeemed.redemption().discount();
    CampaignCounts newCounts =
        counts.withRedemption(discount).withCommitted(discount - reservationOf(voucher.offer()));
    return new CampaignState(
            campaign, version, createdAt, updatedAt, vouchers, participants, newCounts)
        .withVoucher(voucher.withRedemption(redeemed.redemption()));
  }

  private CampaignState applyConversion(ConversionRecorded conversion) {
    Participant participant = participants.get(conversion.userId());
    return new CampaignState(
        campaign,
        version,
        createdAt,
        updatedAt,
        vouchers,
        ChunkedMap.with(participants, participant.userId(), participant.withConversion()),
        counts.withConversionIn(participant.group()));
  }

  private CampaignState withVoucher(Voucher voucher) {
    return new CampaignState(
        campaign,
        version,
        createdAt,
        updatedAt,
        ChunkedMap.with(vouchers, voucher.code(), voucher),
        participants,
        counts);
  }
}
