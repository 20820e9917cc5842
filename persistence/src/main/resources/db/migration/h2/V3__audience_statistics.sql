-- Version 3 of Pulse's schema on H2: how many users are in each audience of each tenant, kept
-- from the journal's audience transitions by the stats projection.

CREATE TABLE IF NOT EXISTS pulse_stats_audience (
  tenant VARCHAR(64) NOT NULL,
  audience VARCHAR(128) NOT NULL,
  members BIGINT NOT NULL,
  PRIMARY KEY (tenant, audience)
);
