-- 003_rate_buckets.sql - provider rate limits shared by every instance
-- (providers.<name>.rate_scope: cluster).
--
-- One row per provider: the GCRA "theoretical arrival time" of its next
-- request, on the database server's clock, so instances with skewed clocks
-- still share one bucket. Rebuildable: losing a row only forgets the
-- recent history (the bucket starts full again).
CREATE TABLE rate_buckets (
	provider text PRIMARY KEY,
	tat timestamptz NOT NULL
);

-- Take one token of provider p's bucket (a request every interval_us on
-- average, up to tolerance_us ahead: (burst - 1) * interval_us). Returns 0
-- when the token is granted, else how many microseconds until one may be.
-- The row lock serialises concurrent callers for the duration of this call.
CREATE FUNCTION medley_rate_acquire(p text, interval_us bigint, tolerance_us bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	t timestamptz;
	now_ts timestamptz;
	ahead_us bigint;
BEGIN
	INSERT INTO rate_buckets (provider, tat) VALUES (p, clock_timestamp())
	ON CONFLICT (provider) DO NOTHING;
	SELECT tat INTO t FROM rate_buckets WHERE provider = p FOR UPDATE;
	now_ts := clock_timestamp();
	t := greatest(t, now_ts);
	ahead_us := ceil(extract(epoch FROM (t - now_ts)) * 1000000)::bigint;
	IF ahead_us > tolerance_us THEN
		RETURN ahead_us - tolerance_us;
	END IF;
	UPDATE rate_buckets SET tat = t + make_interval(secs => interval_us / 1000000.0)
	WHERE provider = p;
	RETURN 0;
END $$;

-- The provider asked every client to wait (429/503 with Retry-After): no
-- instance sends before delay_us from now, and the bucket is empty then.
CREATE FUNCTION medley_rate_pause(p text, delay_us bigint, tolerance_us bigint)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO rate_buckets AS b (provider, tat)
	VALUES (p, clock_timestamp() + make_interval(secs => (delay_us + tolerance_us) / 1000000.0))
	ON CONFLICT (provider) DO UPDATE
	SET tat = greatest(b.tat, excluded.tat);
$$;
