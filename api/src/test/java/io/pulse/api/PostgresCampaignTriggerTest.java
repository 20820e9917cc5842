package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/**
 * Campaigns on audiences, events, occurrences and dates on PostgreSQL (skipped where none is
 * reachable, unless required).
 */
class PostgresCampaignTriggerTest extends CampaignTriggerContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.POSTGRES;
  }
}
