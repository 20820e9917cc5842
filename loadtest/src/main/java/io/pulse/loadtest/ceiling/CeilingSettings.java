package io.pulse.loadtest.ceiling;

import java.util.EnumSet;
import java.util.Set;

/** What to measure: how many journal-shaped rows, and how each write method is parallelised. */
public record CeilingSettings(
    Jdbc jdbc,
    long rows,
    long persistenceIds,
    int insertBatchSize,
    int insertConnections,
    int copyConnections,
    Set<Method> methods) {

  /** The two ways of writing rows that bound what a journal can do. */
  public enum Method {
    /** {@code COPY ... FROM STDIN (FORMAT binary)}: the fastest bulk path PostgreSQL offers. */
    COPY,
    /** Batched {@code INSERT}s with {@code reWriteBatchedInserts}, committed per batch. */
    INSERT
  }

  public CeilingSettings {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be at least 1");
    }
    if (persistenceIds < 1) {
      throw new IllegalArgumentException("persistence ids must be at least 1");
    }
    if (insertBatchSize < 1 || insertConnections < 1 || copyConnections < 1) {
      throw new IllegalArgumentException("batch size and connection counts must be positive");
    }
    methods =
        methods == null || methods.isEmpty() ? EnumSet.allOf(Method.class) : Set.copyOf(methods);
  }

  /** One million rows over 100,000 users, batches of 1000 on 4 connections, one COPY stream. */
  public static CeilingSettings defaults(Jdbc jdbc) {
    return new CeilingSettings(jdbc, 1_000_000, 100_000, 1000, 4, 1, EnumSet.allOf(Method.class));
  }

  public CeilingSettings withRows(long newRows) {
    return new CeilingSettings(
        jdbc,
        newRows,
        Math.min(persistenceIds, newRows),
        insertBatchSize,
        insertConnections,
        copyConnections,
        methods);
  }
}
