package io.pulse.engine.domain.promotion;

/** A voucher was used. */
public record VoucherRedeemed(String code, Redemption redemption) implements CampaignEvent {}
