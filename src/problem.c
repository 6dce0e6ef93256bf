/*
 * problem.c - the one renderer of application/problem+json bodies.
 *
 * Builds the JSON by hand with buf's escaping: the shape is fixed and it
 * runs on error paths that should not allocate a cJSON tree.
 */
#include "medley/problem.h"

void problem_render(struct buf *out, enum err e, const char *detail, const char *instance,
		    const char *request_id, const char *extra_members)
{
	buf_addf(out, "{\"type\":\"" PROBLEM_TYPE_PREFIX "%s\",\"title\":", err_str(e));
	buf_add_json_str(out, err_title(e));
	buf_addf(out, ",\"status\":%d,\"detail\":", err_http_status(e));
	buf_add_json_str(out, detail && detail[0] ? detail : err_title(e));
	buf_adds(out, ",\"instance\":");
	buf_add_json_str(out, instance ? instance : "");
	buf_adds(out, ",\"request_id\":");
	buf_add_json_str(out, request_id ? request_id : "");
	if (extra_members && extra_members[0]) {
		buf_addch(out, ',');
		buf_adds(out, extra_members);
	}
	buf_addch(out, '}');
}
