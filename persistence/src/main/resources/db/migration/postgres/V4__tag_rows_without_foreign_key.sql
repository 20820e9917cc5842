-- Version 4 of Pulse's schema on PostgreSQL: a tag row no longer checks its event through a
-- foreign key. PostgreSQL checks a foreign key per inserted row with a query that locks the
-- referenced journal row, which made a tag row cost about twice a journal row to write; tags
-- are written only by the journal, in the same transaction as their event, and journal rows are
-- never deleted, so the key guarded nothing that can happen. The primary key (event, tag) stays.
-- Releases before this one never relied on the key and run on as before.

ALTER TABLE event_tag DROP CONSTRAINT IF EXISTS fk_event_journal;
