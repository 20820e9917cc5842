package io.pulse.engine.domain.promotion;

import java.time.Instant;
import java.util.Objects;

/** The campaign was created or its definition replaced. */
public record CampaignDefined(Campaign campaign, Instant at) implements CampaignEvent {

  public CampaignDefined {
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(at, "at");
  }
}
