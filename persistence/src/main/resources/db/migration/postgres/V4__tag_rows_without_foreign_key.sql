-- Version 4 of Pulse's schema on PostgreSQL: a tag row no longer checks its event through a
-- foreign key. PostgreSQL checks a foreign key per inserted row with a query that locks the
-- referenced journal row, which made a tag row cost more than twice a journal row to write;
-- tags are written only by the journal, in the same transaction as their event, and Pulse never
-- deletes journal rows, so the key guarded nothing that Pulse does. The primary key (event, tag)
-- stays. Releases before this one never relied on the key and run on as before.
--
-- Dropping the key rewrites nothing but locks both tables exclusively, so it waits for every
-- open transaction on the journal while new ones queue behind it. It gives up after 5 s instead:
-- the migration then fails, changes nothing, and can be run again (SET LOCAL lasts until the
-- transaction that applies the pending versions ends).

SET LOCAL lock_timeout = '5s';

ALTER TABLE event_tag DROP CONSTRAINT fk_event_journal;
