package io.pulse.engine.domain.promotion;

import java.time.Instant;

/** A voucher was used on an order of {@code orderAmount} and took {@code discount} off. */
public record Redemption(Instant at, double orderAmount, double discount) {}
