package io.pulse.engine.domain.promotion;

/** The voucher's code is claimed system-wide: the voucher is now visible and redeemable. */
public record VoucherCodeConfirmed(String code) implements CampaignEvent {}
