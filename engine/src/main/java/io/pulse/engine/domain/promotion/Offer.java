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
public record Offer(
    OfferType type, double value, Double maxDiscount, Boolean freeShipping, Double shippingCost) {

  public Offer {
    Objects.requireNonNull(type, "type");
    // Offers journaled before a discount could come with free shipping have neither.
    freeShipping = Boolean.TRUE.equals(freeShipping) ? Boolean.TRUE : null;
  }

  /** An offer of one kind alone. */
  public Offer(OfferType type, double value, Double maxDiscount) {
    this(type, value, maxDiscount, null, null);
  }

  /**
   * The same discount with free shipping too ("$20 off and free shipping"), which costs the
   * campaign {@code shippingCost} (null when not known).
   */
  public Offer withFreeShipping(Double cost) {
    return new Offer(type, value, maxDiscount, Boolean.TRUE, cost);
  }

  /** Whether the order ships for free: a free-shipping offer, or a discount that adds it. */
  public boolean shipsFree() {
    return type == OfferType.FREE_SHIPPING || Boolean.TRUE.equals(freeShipping);
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
    if (freeShipping != null && type == OfferType.FREE_SHIPPING) {
      problems.add(at + ".freeShipping adds free shipping to percent and fixed_amount offers only");
    }
    if (shippingCost != null) {
      if (freeShipping == null) {
        problems.add(at + ".shippingCost applies with freeShipping only");
      } else if (!Double.isFinite(shippingCost) || shippingCost < 0) {
        problems.add(at + ".shippingCost (the shipping cost) must not be negative");
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
    return roundToCents(Math.max(0, discount) + addedShippingCost());
  }

  /**
   * The most one voucher with this offer can cost the campaign, which a discount budget reserves
   * when the voucher is issued; infinite for a percentage without a cap.
   */
  public double mostItCanCost() {
    double most =
        switch (type) {
          case PERCENT -> maxDiscount == null ? Double.POSITIVE_INFINITY : maxDiscount;
          case FIXED_AMOUNT, FREE_SHIPPING -> value;
        };
    return most + addedShippingCost();
  }

  /** What the free shipping a discount adds costs the campaign: counted as discount. */
  private double addedShippingCost() {
    return freeShipping != null && shippingCost != null ? shippingCost : 0;
  }

  static double roundToCents(double amount) {
    return Math.round(amount * 100.0) / 100.0;
  }
}
