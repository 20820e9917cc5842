-- Version 2 of Pulse's schema on PostgreSQL: the statistics of GET /v1/stats are kept per
-- tenant. Every row already there is the default tenant's: releases before tenants served it
-- alone. The column keeps its default so that a node of the earlier release, still writing
-- during a rolling upgrade, writes the default tenant's rows.

ALTER TABLE pulse_stats_total ADD COLUMN IF NOT EXISTS tenant VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE pulse_stats_total DROP CONSTRAINT pulse_stats_total_pkey;
ALTER TABLE pulse_stats_total ADD PRIMARY KEY (tenant, counter_name);

ALTER TABLE pulse_stats_segment ADD COLUMN IF NOT EXISTS tenant VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE pulse_stats_segment DROP CONSTRAINT pulse_stats_segment_pkey;
ALTER TABLE pulse_stats_segment ADD PRIMARY KEY (tenant, model, segment);

ALTER TABLE pulse_stats_transition_hour ADD COLUMN IF NOT EXISTS tenant VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE pulse_stats_transition_hour DROP CONSTRAINT pulse_stats_transition_hour_pkey;
ALTER TABLE pulse_stats_transition_hour ADD PRIMARY KEY (tenant, utc_hour);

ALTER TABLE pulse_stats_purchase_day ADD COLUMN IF NOT EXISTS tenant VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE pulse_stats_purchase_day DROP CONSTRAINT pulse_stats_purchase_day_pkey;
ALTER TABLE pulse_stats_purchase_day ADD PRIMARY KEY (tenant, utc_day);
