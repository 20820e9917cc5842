package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** Transition subscriptions on the embedded H2 database. */
class H2TransitionSubscriptionsTest extends TransitionSubscriptionsContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.H2;
  }
}
