/*
 * health.c - GET /health: liveness.
 *
 * Answers 200 as long as the process serves HTTP. It touches no database
 * and no provider, so an orchestrator never restarts medley because of a
 * dependency: that is what /ready is for.
 */
#include "medley/app.h"
#include "medley/clock.h"
#include "medley/handlers.h"
#include "medley/version.h"

void handle_health(struct req *r)
{
	int64_t up_s = (clock_mono_us() - r->app->started_mono_us) / 1000000;

	buf_addf(&r->body, "{\"status\":\"ok\",\"version\":");
	buf_add_json_str(&r->body, version_string());
	buf_addf(&r->body, ",\"uptime_s\":%lld}", (long long)up_s);
	req_reply(r, 200, REQ_JSON);
}
