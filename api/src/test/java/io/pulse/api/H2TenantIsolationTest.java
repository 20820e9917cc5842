package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** Tenant isolation on the embedded H2 database. */
class H2TenantIsolationTest extends TenantIsolationContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.H2;
  }
}
