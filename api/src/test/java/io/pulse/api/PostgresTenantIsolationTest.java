package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** Tenant isolation on PostgreSQL (skipped where none is reachable, unless required). */
class PostgresTenantIsolationTest extends TenantIsolationContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.POSTGRES;
  }
}
