package io.pulse.engine.domain.promotion;

/** The code drawn for a voucher was already taken elsewhere; the voucher gets {@code newCode}. */
public record VoucherCodeReplaced(String code, String newCode) implements CampaignEvent {}
