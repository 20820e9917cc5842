package io.pulse.engine.domain.promotion;

import java.util.Objects;

/** A campaign was added to the directory, or its trigger changed. */
public record CampaignListed(String campaignId, Trigger trigger) implements PromotionJournaled {

  public CampaignListed {
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(trigger, "trigger");
  }
}
