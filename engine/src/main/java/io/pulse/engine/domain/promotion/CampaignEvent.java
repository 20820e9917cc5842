package io.pulse.engine.domain.promotion;

/** What a campaign journals. */
public sealed interface CampaignEvent extends PromotionJournaled
    permits CampaignDefined,
        TransitionConsidered,
        OccasionConsidered,
        VoucherCodeConfirmed,
        VoucherCodeReplaced,
        VoucherRedeemed,
        ConversionRecorded {}
