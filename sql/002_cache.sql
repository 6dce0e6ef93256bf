-- 002_cache.sql - the document cache: provider documents, the external ids
-- they reveal, and single-flight leases.
--
-- Everything here is rebuildable from the providers: losing it costs only
-- upstream requests (see docs/operations.md on backups).

-- One row per provider document: a lookup (kind 'artist', key = MBID), a
-- browse page or a search (kind 'browse-release-groups' / 'search-artist',
-- key = the normalized parameters). body is the normalized JSON document as
-- served, stored as text (faster to read back than jsonb, and never queried
-- inside). status 'not_found' rows remember that the provider does not know
-- the key (negative caching); 'redirect' rows send a merged id to its
-- canonical key.
CREATE TABLE provider_documents (
	provider text NOT NULL,
	kind text NOT NULL,
	key text NOT NULL,
	status text NOT NULL CHECK (status IN ('ok', 'not_found', 'redirect')),
	body text,
	etag text,
	canonical_key text,
	fetched_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	PRIMARY KEY (provider, kind, key),
	CHECK ((status = 'ok') = (body IS NOT NULL)),
	CHECK ((status = 'redirect') = (canonical_key IS NOT NULL))
);

-- Ids that a document reveals on other services (from MusicBrainz url
-- relations, ISRCs, barcodes), indexed both ways: which foreign ids does
-- this entity have, and which entity has this foreign id.
CREATE TABLE external_ids (
	provider text NOT NULL,
	kind text NOT NULL,
	key text NOT NULL,
	namespace text NOT NULL,
	external_id text NOT NULL,
	PRIMARY KEY (provider, kind, key, namespace, external_id)
);
CREATE INDEX external_ids_by_foreign_id ON external_ids (namespace, external_id);

-- Single flight across instances: the instance holding a live lease on a
-- document fetches it; the others wait for its row instead of asking the
-- provider again. A lease that outlives expires_at may be taken over.
CREATE TABLE fetch_leases (
	provider text NOT NULL,
	kind text NOT NULL,
	key text NOT NULL,
	holder text NOT NULL,
	expires_at timestamptz NOT NULL,
	PRIMARY KEY (provider, kind, key)
);

COMMENT ON TABLE provider_documents IS 'medley: cached provider documents (rebuildable)';
COMMENT ON TABLE external_ids IS 'medley: foreign ids revealed by cached documents (rebuildable)';
COMMENT ON TABLE fetch_leases IS 'medley: cross-instance single-flight leases (transient)';
