package io.pulse.api;

import io.pulse.persistence.DatabaseKind;

/** The HTTP contract on the embedded H2 database. */
class H2EndToEndTest extends EndToEndContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.H2;
  }
}
