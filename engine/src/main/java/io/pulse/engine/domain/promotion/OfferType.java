package io.pulse.engine.domain.promotion;

import java.util.Locale;
import java.util.Optional;

/** What a voucher gives: a percentage off the order, a fixed amount off, or free shipping. */
public enum OfferType {
  PERCENT,
  FIXED_AMOUNT,
  FREE_SHIPPING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<OfferType> fromWire(String name) {
    for (OfferType type : values()) {
      if (type.wireName().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
