package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** Campaigns and vouchers over HTTP on the embedded H2 database. */
class H2PromotionTest extends PromotionContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.H2;
  }
}
