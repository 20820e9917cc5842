package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** Stats and customer metrics over HTTP on the embedded H2 database. */
class H2StatsTest extends StatsContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.H2;
  }
}
