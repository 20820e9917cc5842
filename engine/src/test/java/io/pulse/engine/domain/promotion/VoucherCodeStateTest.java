package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.enteredHigh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VoucherCodeStateTest {

  @Test
  void aFreeCodeIsClaimedOnceAndThenOnlyGrantsTheSameVoucher() {
    CodeClaimed claimed =
        VoucherCodeState.FREE
            .claimFor("VIP-ABCDEF", "acme", "loyalty", "ann", "ann:engagement:3", T0)
            .orElseThrow();
    VoucherCodeState state = VoucherCodeState.FREE.apply(claimed);

    assertTrue(state.grants("acme", "loyalty", "ann:engagement:3"), "a retried claim is granted");
    assertTrue(
        state.claimFor("VIP-ABCDEF", "acme", "loyalty", "ann", "ann:engagement:3", T0).isEmpty());
    assertFalse(state.grants("acme", "winter", "ann:engagement:3"), "another campaign's voucher");
    assertFalse(
        state.grants("acme", "loyalty", "bob:engagement:1"), "another voucher of the campaign");
    assertFalse(
        state.grants("globex", "loyalty", "ann:engagement:3"),
        "the same campaign id and transition id of another tenant are another voucher");
    assertFalse(VoucherCodeState.FREE.grants("acme", "loyalty", "ann:engagement:3"));
  }

  @Test
  void theDirectoryOffersATransitionToTheCampaignsItMatches() {
    CampaignDirectoryState directory = CampaignDirectoryState.EMPTY;
    for (CampaignListed listed :
        List.of(
            new CampaignListed("loyalty", Trigger.entered("engagement", "high"), 0),
            new CampaignListed("winback", Trigger.exited("engagement", "high"), 0),
            new CampaignListed("vip", Trigger.entered("engagement", "high", "medium"), 0))) {
      directory =
          directory.apply(directory.list(listed.campaignId(), listed.trigger(), 0).orElseThrow());
    }

    assertEquals(List.of("loyalty", "vip"), directory.matching(enteredHigh("u", 1)));
    assertEquals(List.of("loyalty", "vip", "winback"), directory.ids());
    assertTrue(directory.list("loyalty", Trigger.entered("engagement", "high"), 0).isEmpty());
    assertEquals(
        new CampaignListed("loyalty", Trigger.entered("engagement", "low"), 0),
        directory.list("loyalty", Trigger.entered("engagement", "low"), 0).orElseThrow());
  }
}
