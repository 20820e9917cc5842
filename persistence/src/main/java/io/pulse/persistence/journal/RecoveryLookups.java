package io.pulse.persistence.journal;

/**
 * Sizes of the coalesced lookups every starting entity makes (highest sequence number, snapshot).
 */
final class RecoveryLookups {

  private RecoveryLookups() {}

  /** Most persistence ids in one lookup query. */
  static final int MAX_BATCH = 1000;

  /**
   * Most lookup queries of one kind in flight at once. Half the default pool of 8 connections, so
   * that journal writes keep connections while thousands of users start.
   */
  static final int MAX_IN_FLIGHT = 4;
}
