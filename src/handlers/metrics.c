/*
 * metrics.c - GET /metrics: Prometheus text exposition.
 *
 * Samples the database pool into its gauges (connection errors are counted
 * by db.c as they happen), then renders every metric.
 * The rendering itself is the metrics module's; this handler only wires it
 * to HTTP.
 */
#include "medley/app.h"
#include "medley/db.h"
#include "medley/handlers.h"
#include "medley/metrics.h"

void handle_metrics(struct req *r)
{
	struct db_pool_stats st;

	db_pool_stats(r->app->pool, &st);
	metrics_gauge_set(METRICS_DB_POOL_SIZE, st.size);
	metrics_gauge_set(METRICS_DB_POOL_IN_USE, st.in_use);
	metrics_gauge_set(METRICS_DB_POOL_WAITING, st.waiting);
	if (metrics_render(&r->body) != ERR_OK) {
		req_fail(r, ERR_TOO_LARGE, "metrics exposition exceeded the response cap");
		return;
	}
	req_reply(r, 200, METRICS_CONTENT_TYPE);
}
