package io.pulse.api.upgrade;

import io.pulse.persistence.DatabaseKind;

/** Release 0.1.0's data on the embedded H2 database. */
class H2UpgradeFixtureTest extends UpgradeFixtureContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.H2;
  }
}
