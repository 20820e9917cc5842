-- db/h2/schema.sql as releases before schema migrations shipped and applied it; tests
-- create such a database from it to prove that it is baselined and keeps its data.
-- Journal, tag and snapshot tables of Pekko Persistence JDBC 1.1.x for H2.
-- Idempotent: Pulse applies it on every start (pulse.db.create-schema), and it is
-- safe to run again by hand.

CREATE TABLE IF NOT EXISTS PUBLIC."event_journal" (
    "ordering" BIGINT UNIQUE NOT NULL AUTO_INCREMENT,
    "deleted" BOOLEAN DEFAULT false NOT NULL,
    "persistence_id" VARCHAR(255) NOT NULL,
    "sequence_number" BIGINT NOT NULL,
    "writer" VARCHAR NOT NULL,
    "write_timestamp" BIGINT NOT NULL,
    "adapter_manifest" VARCHAR NOT NULL,
    "event_payload" BLOB NOT NULL,
    "event_ser_id" INTEGER NOT NULL,
    "event_ser_manifest" VARCHAR NOT NULL,
    "meta_payload" BLOB,
    "meta_ser_id" INTEGER,
    "meta_ser_manifest" VARCHAR,
    PRIMARY KEY("persistence_id","sequence_number")
    );

CREATE UNIQUE INDEX IF NOT EXISTS "event_journal_ordering_idx" ON PUBLIC."event_journal" ("ordering");

CREATE TABLE IF NOT EXISTS PUBLIC."event_tag" (
    "event_id" BIGINT NOT NULL,
    "tag" VARCHAR NOT NULL,
    PRIMARY KEY("event_id", "tag"),
    CONSTRAINT fk_event_journal
      FOREIGN KEY("event_id")
      REFERENCES "event_journal"("ordering")
      ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS PUBLIC."snapshot" (
    "persistence_id" VARCHAR(255) NOT NULL,
    "sequence_number" BIGINT NOT NULL,
    "created" BIGINT NOT NULL,
    "snapshot_ser_id" INTEGER NOT NULL,
    "snapshot_ser_manifest" VARCHAR NOT NULL,
    "snapshot_payload" BLOB NOT NULL,
    "meta_ser_id" INTEGER,
    "meta_ser_manifest" VARCHAR,
    "meta_payload" BLOB,
    PRIMARY KEY("persistence_id","sequence_number")
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

-- Offsets and pause flags of Pekko Projection JDBC 1.0.x (h2-dialect, lower-case names):
-- where the promotion projection resumes after a restart.
CREATE TABLE IF NOT EXISTS "pekko_projection_offset_store" (
  "projection_name" VARCHAR(255) NOT NULL,
  "projection_key" VARCHAR(255) NOT NULL,
  "current_offset" VARCHAR(255) NOT NULL,
  "manifest" VARCHAR(4) NOT NULL,
  "mergeable" BOOLEAN NOT NULL,
  "last_updated" BIGINT NOT NULL,
  PRIMARY KEY("projection_name", "projection_key")
);

CREATE INDEX IF NOT EXISTS "projection_name_index" ON "pekko_projection_offset_store" ("projection_name");

CREATE TABLE IF NOT EXISTS "pekko_projection_management" (
  "projection_name" VARCHAR(255) NOT NULL,
  "projection_key" VARCHAR(255) NOT NULL,
  "paused" BOOLEAN NOT NULL,
  "last_updated" BIGINT NOT NULL,
  PRIMARY KEY("projection_name", "projection_key")
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
