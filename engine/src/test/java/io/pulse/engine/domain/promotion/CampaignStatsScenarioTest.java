package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.enteredHigh;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.engine.domain.promotion.Promotions.Given;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scripted campaign whose every figure is worked out by hand. */
class CampaignStatsScenarioTest {

  @Test
  void statsMatchTheScript() {
    // Given 20% off up to 30, at most 3 vouchers, a 25% control group, 7 days to use it.
    Campaign definition =
        new Campaign(
            "spring",
            "Spring",
            Trigger.entered("engagement", "high"),
            Offer.percent(20, 30.0),
            Map.of(),
            CodePattern.DEFAULT,
            1,
            new Budget(3, 100.0),
            7,
            null,
            null,
            20,
            25,
            true);
    List<String> control = new ArrayList<>();
    List<String> treated = new ArrayList<>();
    for (int i = 0; control.size() < 2 || treated.size() < 4; i++) {
      String user = "s-" + i;
      (ControlGroup.contains("spring", user, 25) ? control : treated).add(user);
    }
    Given campaign = new Given(definition);

    // When two control users and four treated users enter high: three vouchers, then none left.
    for (String user : List.of(control.get(0), treated.get(0), treated.get(1))) {
      campaign.offer(enteredHigh(user, 1));
    }
    campaign.offer(enteredHigh(control.get(1), 1));
    campaign.offer(enteredHigh(treated.get(2), 1));
    campaign.offer(enteredHigh(treated.get(3), 1));
    campaign.offer(enteredHigh(treated.get(0), 2)); // again: the per-user limit

    // A switched-off moment turns one user away.
    campaign.redefine(definition.withActive(false));
    campaign.offer(enteredHigh("s-late", 1));
    campaign.redefine(definition);

    campaign.later(Duration.ofDays(1));
    String first = campaign.onlyVoucherOf(treated.get(0)).code();
    String second = campaign.onlyVoucherOf(treated.get(1)).code();
    campaign.redeem(first, treated.get(0), 200); // 20% = 40, capped at 30
    campaign.redeem(second, treated.get(1), 50); // 20% = 10
    campaign.redeem(second, treated.get(1), 50); // refused: used

    // Purchases: one treated user and one control user inside 7 days; one control user after.
    campaign.purchase(treated.get(0), "buy-1", T0.plus(Duration.ofDays(1)));
    campaign.purchase(control.get(0), "buy-2", T0.plus(Duration.ofDays(6)));
    campaign.purchase(control.get(1), "buy-3", T0.plus(Duration.ofDays(8)));

    CampaignStats stats = campaign.state.stats();
    assertEquals(3, stats.issued());
    assertEquals(2, stats.redeemed());
    assertEquals(2.0 / 3, stats.redemptionRate(), 1e-12);
    assertEquals(40.0, stats.discountGiven());
    // One unredeemed voucher still reserves its most, 30: 30 + 10 + 30 = 70 of 100.
    assertEquals(70.0, stats.discountCommitted());
    assertEquals(30.0, stats.discountLeft());
    assertEquals(0L, stats.vouchersLeft());
    assertEquals(new GroupStats(3, 1, 1.0 / 3), stats.treatment());
    assertEquals(new GroupStats(2, 1, 0.5), stats.control());
    assertEquals(
        Map.of(
            Outcome.ISSUED, 3L,
            Outcome.CONTROL, 2L,
            Outcome.BUDGET_EXHAUSTED, 1L,
            Outcome.USER_LIMIT, 1L,
            Outcome.INACTIVE, 1L),
        stats.outcomes());
  }
}
