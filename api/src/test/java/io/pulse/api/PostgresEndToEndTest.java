package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** The HTTP contract on PostgreSQL (skipped where none is reachable, unless required). */
class PostgresEndToEndTest extends EndToEndContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.POSTGRES;
  }
}
