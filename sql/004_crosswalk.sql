-- 004_crosswalk.sql - which provider entity is which MusicBrainz entity, and
-- how medley knows (docs/merge.md#matching).
--
-- One row per match the enrichment engine accepted: the provider's entity
-- (provider, provider_id, e.g. ('deezer', '920002')) is the MusicBrainz
-- entity (kind, mbid), found by method ('mb_relation', 'isrc', 'upc',
-- 'mbid', 'mb_url', 'search') with score in 0..1. GET /v1/lookup reads it
-- both ways. Rebuildable: every row comes back with the next enrichment.
CREATE TABLE crosswalk (
	provider text NOT NULL,
	provider_id text NOT NULL,
	kind text NOT NULL,
	mbid text NOT NULL,
	method text NOT NULL,
	score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
	matched_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (provider, provider_id, kind, mbid)
);

CREATE INDEX crosswalk_mbid ON crosswalk (kind, mbid);
