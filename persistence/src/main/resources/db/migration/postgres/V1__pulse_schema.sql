-- Version 1 of Pulse's schema on PostgreSQL: the journal, tag and snapshot tables of Pekko
-- Persistence JDBC 1.1.x and Pulse's own read side. Flyway applies it once (pulse.db.migrate).
-- Released: never edit it. A change is a new V<n>__ file here and in the other kind's folder
-- (docs/operations.md, "Schema migrations"). Its statements are those of the schema.sql that
-- releases before migrations applied, so a database created by one of those is recorded as
-- version 1 (baselined) instead.

CREATE TABLE IF NOT EXISTS public.event_journal(
  ordering BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,

  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),

  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON public.event_journal(ordering);

CREATE TABLE IF NOT EXISTS public.event_tag(
    event_id BIGINT,
    tag VARCHAR(256),
    PRIMARY KEY(event_id, tag),
    CONSTRAINT fk_event_journal
      FOREIGN KEY(event_id)
      REFERENCES event_journal(ordering)
      ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS public.snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,

  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

-- Pulse's own read side. The tag index serves the transition and wake-up feeds, whose
-- tagged events are a small share of the journal.
CREATE INDEX IF NOT EXISTS event_tag_tag_idx ON event_tag(tag, event_id);

-- Wake-ups users asked for (decay and inactivity), kept from the journal by the scheduler.
CREATE TABLE IF NOT EXISTS pulse_wake_up (
  entity_id VARCHAR(512) NOT NULL PRIMARY KEY,
  due_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS pulse_wake_up_due_idx ON pulse_wake_up(due_at);

-- How far each of Pulse's journal readers has read, by name.
CREATE TABLE IF NOT EXISTS pulse_read_offset (
  reader VARCHAR(255) NOT NULL PRIMARY KEY,
  read_offset BIGINT NOT NULL
);

-- Offsets and pause flags of Pekko Projection JDBC 1.0.x (postgres-dialect): where the
-- promotion projection resumes after a restart.
CREATE TABLE IF NOT EXISTS pekko_projection_offset_store (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  current_offset VARCHAR(255) NOT NULL,
  manifest VARCHAR(4) NOT NULL,
  mergeable BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key)
);

CREATE INDEX IF NOT EXISTS projection_name_index ON pekko_projection_offset_store (projection_name);

CREATE TABLE IF NOT EXISTS pekko_projection_management (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  paused BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key)
);

-- Aggregates of GET /v1/stats, kept from the journal by the stats projection. Totals by
-- name ('orders' has the revenue in amount).
CREATE TABLE IF NOT EXISTS pulse_stats_total (
  counter_name VARCHAR(64) NOT NULL PRIMARY KEY,
  total BIGINT NOT NULL,
  amount DOUBLE PRECISION NOT NULL
);

-- Users in each segment (a band, or inactive) of each model.
CREATE TABLE IF NOT EXISTS pulse_stats_segment (
  model VARCHAR(128) NOT NULL,
  segment VARCHAR(128) NOT NULL,
  members BIGINT NOT NULL,
  PRIMARY KEY (model, segment)
);

-- Transitions by the UTC hour of their time (hours since the epoch).
CREATE TABLE IF NOT EXISTS pulse_stats_transition_hour (
  utc_hour BIGINT NOT NULL PRIMARY KEY,
  transitions BIGINT NOT NULL
);

-- By UTC day (days since the epoch): orders placed that day, and customers whose latest
-- purchase falls on that day.
CREATE TABLE IF NOT EXISTS pulse_stats_purchase_day (
  utc_day BIGINT NOT NULL PRIMARY KEY,
  orders BIGINT NOT NULL,
  latest_purchases BIGINT NOT NULL
);
