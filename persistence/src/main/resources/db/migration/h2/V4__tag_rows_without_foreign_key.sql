-- Version 4 of Pulse's schema on H2: a tag row no longer checks its event through a foreign key,
-- as on PostgreSQL (see that version's file for why). The primary key (event, tag) stays.

ALTER TABLE event_tag DROP CONSTRAINT fk_event_journal;
