package io.pulse.engine.domain.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What an offer takes off an order, and what it can cost the campaign at most. */
class OfferTest {

  @Test
  void aDiscountWithFreeShippingShipsFreeAndCountsTheShippingAsDiscount() {
    // "$20 off and free shipping", shipping costing the campaign 4.90
    Offer birthday = Offer.fixedAmount(20).withFreeShipping(4.9);
    assertTrue(birthday.shipsFree());
    assertEquals(24.9, birthday.discountFor(100));
    assertEquals(15.0 + 4.9, birthday.discountFor(15));
    assertEquals(24.9, birthday.mostItCanCost());
    assertEquals(List.of(), birthday.problems("offer"));
  }

  @Test
  void freeShippingOfUnknownCostAddsNothingToTheDiscount() {
    Offer tenPercent = Offer.percent(10, 30.0).withFreeShipping(null);
    assertTrue(tenPercent.shipsFree());
    assertEquals(10.0, tenPercent.discountFor(100));
    assertEquals(30.0, tenPercent.mostItCanCost());
    assertFalse(Offer.percent(10, null).shipsFree());
    assertTrue(Offer.freeShipping(5).shipsFree());
  }

  @Test
  void freeShippingIsAddedToDiscountsOnlyAndItsCostIsNeverNegative() {
    assertEquals(
        List.of("offer.freeShipping adds free shipping to percent and fixed_amount offers only"),
        Offer.freeShipping(5).withFreeShipping(null).problems("offer"));
    assertEquals(
        List.of("offer.shippingCost (the shipping cost) must not be negative"),
        Offer.fixedAmount(5).withFreeShipping(-1.0).problems("offer"));
    assertEquals(
        List.of("offer.shippingCost applies with freeShipping only"),
        new Offer(OfferType.FIXED_AMOUNT, 5, null, false, 3.0).problems("offer"));
  }
}
