package io.pulse.engine.domain.promotion;

import java.util.Objects;

/**
 * A campaign was added to the directory, or its trigger changed; {@code campaignVersion} is the
 * version of the stored definition the trigger is from (0 in events journaled before versions were
 * kept).
 */
public record CampaignListed(String campaignId, Trigger trigger, long campaignVersion)
    implements PromotionJournaled {

  public CampaignListed {
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(trigger, "trigger");
  }
}
