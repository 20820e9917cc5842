package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** Campaigns on audiences, events, occurrences and dates on the embedded H2 database. */
class H2CampaignTriggerTest extends CampaignTriggerContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.H2;
  }
}
