package io.pulse.api.upgrade;

import io.pulse.persistence.DatabaseKind;

/** Release 0.1.0's data on PostgreSQL (skipped where none is reachable, unless required). */
class PostgresUpgradeFixtureTest extends UpgradeFixtureContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.POSTGRES;
  }
}
