package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** Transition subscriptions on PostgreSQL (skipped where none is reachable, unless required). */
class PostgresTransitionSubscriptionsTest extends TransitionSubscriptionsContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.POSTGRES;
  }
}
