package io.pulse.persistence;

/**
 * The schema step at start (or the {@code migrate} command) could not bring the database to this
 * release's version, or found it missing; the message says why and what to do, for the operator.
 */
public final class SchemaMigrationException extends RuntimeException {

  SchemaMigrationException(String message) {
    super(message);
  }

  SchemaMigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
