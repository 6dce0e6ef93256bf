/*
 * agg_reply.c - answer a request from a cached document entry.
 *
 * The stored body is the document without its last '}'; each answer appends
 * its own "cache" member ({"status","age_s"}) and the brace, so a hot hit is
 * one copy of bytes and no JSON work. The ETag is of the stored document
 * and does not cover "cache", which describes this delivery, not the data.
 * This file decides no freshness: the caller passes what the entry is.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "agg_int.h"
#include "medley/metrics.h"

/* RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT". */
static void http_date(int64_t wall_us, char out[32])
{
	static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t secs = (time_t)(wall_us / 1000000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(out, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
		 months[tm.tm_mon % 12], (tm.tm_year + 1900) % 10000, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

bool agg_etag_matches(const char *inm, const char *etag)
{
	size_t elen = strlen(etag);

	while (inm && *inm) {
		size_t n;

		inm += strspn(inm, " \t,");
		if (*inm == '*')
			return true;
		if (strncmp(inm, "W/", 2) == 0)
			inm += 2;
		n = strcspn(inm, " \t,");
		if (n == elen && elen && memcmp(inm, etag, n) == 0)
			return true;
		inm += n;
	}
	return false;
}

static void add_validators(struct req *r, const struct doc_entry *e, int64_t now_us)
{
	int64_t left_s = (e->expires_at_us - now_us) / 1000000;
	int64_t age_s = (now_us - e->fetched_at_us) / 1000000;
	char v[64];

	r->fresh_until_us = e->expires_at_us;
	if (e->etag[0])
		req_add_header(r, "ETag", e->etag);
	http_date(e->fetched_at_us, v);
	req_add_header(r, "Last-Modified", v);
	snprintf(v, sizeof(v), "public, max-age=%lld", (long long)(left_s > 0 ? left_s : 0));
	req_add_header(r, "Cache-Control", v);
	snprintf(v, sizeof(v), "%lld", (long long)(age_s > 0 ? age_s : 0));
	req_add_header(r, "Age", v);
}

static void reply_not_found(struct req *r, const struct doc_entry *e, const char *status,
			    const struct agg_target *t, int64_t now_us)
{
	if (t->kind == AGG_LOOKUP)
		req_fail(r, ERR_NOT_FOUND, "MusicBrainz has no %s with id %s",
			 agg_entity_name(t->entity), t->mbid);
	else if (t->kind == AGG_URL)
		req_fail(r, ERR_NOT_FOUND, "MusicBrainz relates nothing to %s", t->query);
	else
		req_fail(r, ERR_NOT_FOUND, "MusicBrainz has no artist with id %s", t->mbid);
	add_validators(r, e, now_us);
	r->cache_status = strcmp(status, "miss") == 0 ? "miss" : "negative";
	metrics_counter_add_at(
		METRICS_CACHE_RESULTS,
		strcmp(status, "miss") == 0 ? METRICS_CACHE_MISS : METRICS_CACHE_NEGATIVE, 0, 1);
}

static unsigned result_label(const char *status)
{
	if (strcmp(status, "hit") == 0)
		return METRICS_CACHE_HIT;
	return strcmp(status, "stale") == 0 ? METRICS_CACHE_STALE : METRICS_CACHE_MISS;
}

void agg_reply_entry(struct req *r, const struct doc_entry *e, const char *status,
		     const struct agg_target *t, int64_t now_us)
{
	int64_t age_s = (now_us - e->fetched_at_us) / 1000000;

	if (e->status == DOC_NOT_FOUND) {
		reply_not_found(r, e, status, t, now_us);
		return;
	}
	r->cache_status = status;
	metrics_counter_add_at(METRICS_CACHE_RESULTS, result_label(status), 0, 1);
	add_validators(r, e, now_us);
	if (agg_etag_matches(req_header(r, "If-None-Match"), e->etag)) {
		req_reply(r, 304, REQ_JSON);
		return;
	}
	buf_reserve(&r->body, e->body_len + 64);     /* one allocation for body and cache member */
	buf_add(&r->body, e->body, e->body_len - 1); /* all but the closing '}' */
	buf_addf(&r->body, ",\"cache\":{\"status\":\"%s\",\"age_s\":%lld}}", status,
		 (long long)(age_s > 0 ? age_s : 0));
	req_reply(r, 200, REQ_JSON);
}
