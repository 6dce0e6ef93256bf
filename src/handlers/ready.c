/*
 * ready.c - GET /ready: can this instance serve real traffic?
 *
 * Three checks, in order: the instance is not draining for shutdown, the
 * database answers, and the schema holds every migration this binary
 * carries with unedited checksums (a newer schema is fine: that is a
 * rolling upgrade in progress). 200 with the checks when all pass;
 * otherwise a 503 problem document whose "checks" member says which failed.
 */
#include <stdio.h>

#include "medley/app.h"
#include "medley/db.h"
#include "medley/handlers.h"
#include "medley/migrate.h"
#include "medley/problem.h"
#include "medley/version.h"

struct ready_checks {
	const char *draining; /* "ok" | "draining" */
	const char *database; /* "ok" | "unavailable" | "skipped" */
	const char *schema;   /* "ok" | "behind" | "edited" | "unknown" | "skipped" */
	struct migrate_status st;
};

static void render_checks(struct buf *b, const struct ready_checks *c)
{
	buf_addf(b, "\"checks\":{\"shutdown\":\"%s\",\"database\":\"%s\",\"schema\":\"%s\"}",
		 c->draining, c->database, c->schema);
	buf_addf(b, ",\"schema\":{\"expected\":%d,\"applied\":%d}", c->st.expected, c->st.applied);
}

static void run_checks(struct app *app, struct ready_checks *c)
{
	c->draining = atomic_load(&app->draining) ? "draining" : "ok";
	c->database = "skipped";
	c->schema = "skipped";
	c->st.expected = migrate_expected_version();
	c->st.applied = 0;
	c->st.checksums_ok = false;
	if (db_ping(app->pool) != ERR_OK) {
		c->database = "unavailable";
		return;
	}
	c->database = "ok";
	if (migrate_status(app->pool, &c->st) != ERR_OK)
		c->schema = "unknown";
	else if (!c->st.checksums_ok)
		c->schema = "edited";
	else if (c->st.applied < c->st.expected)
		c->schema = "behind";
	else
		c->schema = "ok";
}

void handle_ready(struct req *r)
{
	struct ready_checks c;
	struct buf extra;
	const char *failed;

	run_checks(r->app, &c);
	failed = c.draining[0] != 'o'	? "shutdown"
		 : c.database[0] != 'o' ? "database"
		 : c.schema[0] != 'o'	? "schema"
					: NULL;
	buf_init(&extra, 1024);
	render_checks(&extra, &c);
	if (!failed) {
		buf_adds(&r->body, "{\"status\":\"ready\",\"version\":");
		buf_add_json_str(&r->body, version_string());
		buf_addf(&r->body, ",%s}", extra.data);
		req_reply(r, 200, REQ_JSON);
	} else {
		char detail[96];

		snprintf(detail, sizeof(detail), "readiness check '%s' failed", failed);
		problem_render(&r->body, ERR_NOT_READY, detail, r->path, r->id, extra.data);
		req_reply(r, 503, PROBLEM_CONTENT_TYPE);
		r->error = ERR_NOT_READY;
	}
	buf_release(&extra);
}
