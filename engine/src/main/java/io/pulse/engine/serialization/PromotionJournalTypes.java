package io.pulse.engine.serialization;

import io.pulse.engine.domain.promotion.CampaignDefined;
import io.pulse.engine.domain.promotion.CampaignDirectoryState;
import io.pulse.engine.domain.promotion.CampaignListed;
import io.pulse.engine.domain.promotion.CampaignState;
import io.pulse.engine.domain.promotion.CodeClaimed;
import io.pulse.engine.domain.promotion.ConversionRecorded;
import io.pulse.engine.domain.promotion.OccasionConsidered;
import io.pulse.engine.domain.promotion.TransitionConsidered;
import io.pulse.engine.domain.promotion.VoucherCodeConfirmed;
import io.pulse.engine.domain.promotion.VoucherCodeReplaced;
import io.pulse.engine.domain.promotion.VoucherCodeState;
import io.pulse.engine.domain.promotion.VoucherRedeemed;
import java.util.Map;

/**
 * The stable journal names of the promotion events and states, which {@link JournalSerializer}
 * registers next to its own: never rename one, only add.
 */
public final class PromotionJournalTypes {

  public static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("campaign-defined", CampaignDefined.class),
          Map.entry("campaign-transition-considered", TransitionConsidered.class),
          Map.entry("campaign-occasion-considered", OccasionConsidered.class),
          Map.entry("campaign-voucher-code-confirmed", VoucherCodeConfirmed.class),
          Map.entry("campaign-voucher-code-replaced", VoucherCodeReplaced.class),
          Map.entry("campaign-voucher-redeemed", VoucherRedeemed.class),
          Map.entry("campaign-conversion-recorded", ConversionRecorded.class),
          Map.entry("campaign-state", CampaignState.class),
          Map.entry("voucher-code-claimed", CodeClaimed.class),
          Map.entry("voucher-code-state", VoucherCodeState.class),
          Map.entry("campaign-listed", CampaignListed.class),
          Map.entry("campaign-directory-state", CampaignDirectoryState.class));

  private PromotionJournalTypes() {}
}
