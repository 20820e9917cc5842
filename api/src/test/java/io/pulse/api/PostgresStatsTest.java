package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** Stats and customer metrics over HTTP on PostgreSQL (skipped where none is reachable). */
class PostgresStatsTest extends StatsContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.POSTGRES;
  }
}
