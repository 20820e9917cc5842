package io.pulse.engine.domain.promotion;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The discount a voucher gives. {@code value} is the percentage for {@link OfferType#PERCENT}, the
 * amount for {@link OfferType#FIXED_AMOUNT}, and for {@link OfferType#FREE_SHIPPING} the shipping
 * cost the campaign pays (counted as discount; 0 when not known). {@code maxDiscount} caps a
 * percentage's discount.
 */
public record Offer(OfferType type, double value, Double maxDiscount) {

  public Offer {
    Objects.requireNonNull(type, "type");
  }

  public static Offer percent(double percent, Double maxDiscount) {
    return new Offer(OfferType.PERCENT, percent, maxDiscount);
  }

  public static Offer fixedAmount(double amount) {
    return new Offer(OfferType.FIXED_AMOUNT, amount, null);
  }

  public static Offer freeShipping(double shippingCost) {
    return new Offer(OfferType.FREE_SHIPPING, shippingCost, null);
  }

  /** Every way in which this offer is unusable, each naming the field under {@code at}. */
  public List<String> problems(String at) {
    List<String> problems = new ArrayList<>();
    if (!Double.isFinite(value)) {
      problems.add(at + ".value must be a finite number");
      return problems;
    }
    switch (type) {
      case PERCENT -> {
        if (value <= 0 || value > 100) {
          problems.add(at + ".value must be a percentage above 0 and at most 100");
        }
      }
      case FIXED_AMOUNT -> {
        if (value <= 0) {
          problems.add(at + ".value must be an amount above 0");
        }
      }
      case FREE_SHIPPING -> {
        if (value < 0) {
          problems.add(at + ".value (the shipping cost) must not be negative");
        }
      }
    }
    if (maxDiscount != null) {
      if (type != OfferType.PERCENT) {
        problems.add(at + ".maxDiscount applies to percent offers only");
      } else if (!Double.isFinite(maxDiscount) || maxDiscount <= 0) {
        problems.add(at + ".maxDiscount must be an amount above 0");
      }
    }
    return problems;
  }

  /** The discount on an order of {@code orderAmount}, in cents-rounded currency units. */
  public double discountFor(double orderAmount) {
    double discount =
        switch (type) {
          case PERCENT -> {
            double off = orderAmount * value / 100.0;
            yield maxDiscount == null ? off : Math.min(off, maxDiscount);
          }
          case FIXED_AMOUNT -> Math.min(value, orderAmount);
          case FREE_SHIPPING -> value;
        };
    return roundToCents(Math.max(0, discount));
  }

  /**
   * The most one voucher with this offer can cost the campaign, which a discount budget reserves
   * when the voucher is issued; infinite for a percentage without a cap.
   */
  public double mostItCanCost() {
    return switch (type) {
      case PERCENT -> maxDiscount == null ? Double.POSITIVE_INFINITY : maxDiscount;
      case FIXED_AMOUNT, FREE_SHIPPING -> value;
    };
  }

  static double roundToCents(double amount) {
    return Math.round(amount * 100.0) / 100.0;
  }
}
