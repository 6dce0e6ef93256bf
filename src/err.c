/*
 * err.c - lookups into the error table of err.h.
 *
 * Pure tables only; rendering errors as problem documents lives in problem.c.
 */
#include "medley/err.h"

static const struct {
	int status;
	const char *str;
	const char *title;
} err_rows[] = {
#define ERR_ROW(code, status, str, title) {status, str, title},
	ERR_TABLE(ERR_ROW)
#undef ERR_ROW
};

int err_http_status(enum err e)
{
	if ((unsigned)e >= ERR__COUNT)
		return 500;
	return err_rows[e].status;
}

const char *err_str(enum err e)
{
	if ((unsigned)e >= ERR__COUNT)
		return "internal";
	return err_rows[e].str;
}

const char *err_title(enum err e)
{
	if ((unsigned)e >= ERR__COUNT)
		return "Internal error";
	return err_rows[e].title;
}
