package io.pulse.engine.domain.promotion;

/** The arm of a campaign's experiment a user is in: given a voucher, or held out as control. */
public enum CampaignGroup {
  TREATMENT,
  CONTROL
}
