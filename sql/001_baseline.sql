-- 001_baseline.sql - the first step of medley's schema.
--
-- How migrations work (read this before adding sql/NNN_description.sql):
--
-- * Steps are numbered 001, 002, ... without gaps. tools/embed-sql.sh builds
--   them into the binary, which therefore expects the highest number as its
--   schema version and knows the exact text of every step.
-- * `medley migrate` (or `serve` with database.migrate_on_start) applies the
--   steps the database lacks, in order, each in its own transaction under an
--   advisory lock, and records version, name and the SHA-256 of the text in
--   schema_migrations. Several instances may start at once.
-- * Forward-only: there are no down steps. To undo something, add a step.
-- * Never edit a step once it is released. Its checksum would no longer match
--   and every instance would refuse to start (error "migration-edited").
--   Fix forward with a new step instead.
-- * medley opens the transaction: do not write BEGIN, COMMIT or ROLLBACK, and
--   do not use what cannot run in a transaction (CREATE INDEX CONCURRENTLY,
--   VACUUM, CREATE DATABASE).
-- * The previous release keeps serving during a rolling upgrade, against the
--   new schema: expand in one release (add tables, nullable columns), contract
--   in a later one (drop what nothing reads any more).

-- Facts about this database that medley itself records.
CREATE TABLE medley_meta (
	key text PRIMARY KEY,
	value text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE medley_meta IS 'medley: facts about this database (schema baseline, ...)';

INSERT INTO medley_meta (key, value) VALUES ('schema_baseline', '001');
