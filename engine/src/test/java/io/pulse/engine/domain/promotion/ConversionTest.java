package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.enteredHigh;
import static io.pulse.engine.domain.promotion.Promotions.loyalty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.promotion.Promotions.Given;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConversionTest {

  /** A user in each group: the first user id in each, by the real assignment. */
  private static String firstUserIn(String campaignId, double percent, boolean control) {
    for (int i = 0; ; i++) {
      if (ControlGroup.contains(campaignId, "user-" + i, percent) == control) {
        return "user-" + i;
      }
    }
  }

  @Test
  void aPurchaseAfterTheTriggerAndWithinTheValidityWindowConvertsOnce() {
    Given campaign = new Given(loyalty());
    campaign.offer(enteredHigh("ann", 1));

    assertTrue(campaign.purchase("ann", "p-1", T0.plus(Duration.ofDays(3))));
    assertFalse(campaign.purchase("ann", "p-2", T0.plus(Duration.ofDays(4))), "counted once");

    GroupStats treatment = campaign.state.stats().treatment();
    assertEquals(new GroupStats(1, 1, 1.0), treatment);
  }

  @Test
  void aPurchaseBeforeTheTriggerInTheJournalDoesNotConvert() {
    Given campaign = new Given(loyalty());
    campaign.offer(enteredHigh("ann", 1));
    long triggerOffset = campaign.offset;

    // The purchase that pushed the user into the band is journaled just before its transition.
    assertTrue(campaign.state.purchase("ann", "p-0", triggerOffset - 1, T0).isEmpty());
    assertTrue(campaign.state.purchase("ann", "p-0", triggerOffset, T0).isEmpty());
  }

  @Test
  void aPurchaseAfterTheWindowDoesNotConvert() {
    Given campaign = new Given(loyalty());
    campaign.offer(enteredHigh("ann", 1));

    assertFalse(campaign.purchase("ann", "p-1", T0.plus(Duration.ofDays(30)).plusSeconds(1)));
    assertTrue(campaign.purchase("ann", "p-2", T0.plus(Duration.ofDays(30))));
  }

  @Test
  void controlUsersConvertTooAndOutsidersAreIgnored() {
    Campaign halfControl = Promotions.withControl(loyalty(), 50);
    String control = firstUserIn("loyalty", 50, true);
    String treated = firstUserIn("loyalty", 50, false);
    Given campaign = new Given(halfControl);
    campaign.offer(enteredHigh(control, 1));
    campaign.offer(enteredHigh(treated, 1));

    assertTrue(campaign.purchase(control, "p-1", T0.plusSeconds(10)));
    assertFalse(campaign.purchase("stranger", "p-2", T0.plusSeconds(10)));

    CampaignStats stats = campaign.state.stats();
    assertEquals(new GroupStats(1, 1, 1.0), stats.control());
    assertEquals(new GroupStats(1, 0, 0.0), stats.treatment());
  }

  @Test
  void usersTurnedAwayBelongToNoGroup() {
    Given campaign = new Given(loyalty().withActive(false));
    campaign.offer(enteredHigh("ann", 1));

    assertFalse(campaign.purchase("ann", "p-1", T0.plusSeconds(10)));
    assertEquals(0, campaign.state.stats().treatment().users());
    assertEquals(0, campaign.state.stats().control().users());
  }
}
