package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.enteredHigh;
import static io.pulse.engine.domain.promotion.Promotions.loyalty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.promotion.Promotions.Given;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControlGroupTest {

  private static final int USERS = 10_000;

  @Test
  void aTenPercentControlGroupHoldsTenPercentOfTenThousandUsersAndNoneGetsACode() {
    Given campaign = new Given(Promotions.withControl(loyalty(), 10));

    Set<String> control = new HashSet<>();
    for (int i = 0; i < USERS; i++) {
      String user = "user-" + i;
      Outcome outcome = campaign.outcomeOf(enteredHigh(user, 1));
      if (outcome == Outcome.CONTROL) {
        control.add(user);
      } else {
        assertEquals(Outcome.ISSUED, outcome);
      }
    }

    // Binomial(10,000, 0.1): standard deviation 30, so +/- 150 is five of them.
    assertTrue(control.size() >= 850 && control.size() <= 1150, "control: " + control.size());
    for (String user : control) {
      assertEquals(0, campaign.state.vouchersOf(user).size(), user + " is control");
      assertEquals(CampaignGroup.CONTROL, campaign.state.participants().get(user).group());
    }
    CampaignStats stats = campaign.state.stats();
    assertEquals(control.size(), stats.control().users());
    assertEquals(USERS - control.size(), stats.treatment().users());
    assertEquals(USERS - control.size(), stats.issued());
    assertEquals(USERS - control.size(), campaign.state.vouchers().size());
  }

  @Test
  void theAssignmentIsAFunctionOfCampaignAndUserAlone() {
    int inBoth = 0;
    int inFirst = 0;
    for (int i = 0; i < USERS; i++) {
      String user = "user-" + i;
      boolean first = ControlGroup.contains("spring-sale", user, 10);
      assertEquals(first, ControlGroup.contains("spring-sale", user, 10), "same every time");
      if (first) {
        inFirst++;
        if (ControlGroup.contains("winter-sale", user, 10)) {
          inBoth++;
        }
      }
    }
    // Independent campaigns: about 10% of one control group is in the other's.
    assertTrue(inBoth > inFirst * 0.05 && inBoth < inFirst * 0.15, inBoth + " of " + inFirst);
  }

  @Test
  void noneAndEveryoneAreExact() {
    for (int i = 0; i < 1000; i++) {
      assertFalse(ControlGroup.contains("c", "u" + i, 0));
      assertTrue(ControlGroup.contains("c", "u" + i, 100));
    }
  }

  @Test
  void aGrowingPercentageOnlyAddsUsers() {
    for (int i = 0; i < 1000; i++) {
      if (ControlGroup.contains("c", "u" + i, 10)) {
        assertTrue(ControlGroup.contains("c", "u" + i, 20));
      }
    }
  }
}
