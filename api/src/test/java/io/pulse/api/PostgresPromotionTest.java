package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/**
 * Campaigns and vouchers over HTTP on PostgreSQL (skipped where none is reachable, unless
 * required).
 */
class PostgresPromotionTest extends PromotionContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.POSTGRES;
  }
}
