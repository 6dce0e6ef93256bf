/*
 * log.h - one line per event on stderr, as JSON lines or logfmt.
 *
 * A line is built field by field and written with a single write(2), so
 * lines from different threads never interleave:
 *
 *	struct log_line l;
 *	if (log_begin(&l, LOG_INFO, "request")) {
 *		log_str(&l, "req", id);
 *		log_int(&l, "status", 200);
 *		log_end(&l);
 *	}
 *
 * log_begin() returns false (and the line needs no log_end) when the level is
 * filtered out, so disabled debug lines cost one comparison. For a plain
 * message use log_msgf(). Messages start lowercase and name what failed
 * first: "cannot connect to database: %s". Never log secrets or upstream
 * bodies.
 *
 * Thread-safe once log_setup() has run (call it before starting threads).
 */
#ifndef MEDLEY_LOG_H
#define MEDLEY_LOG_H

#include <stdbool.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR
};
enum log_format {
	LOG_FORMAT_JSON,
	LOG_FORMAT_TEXT
};

/* Longest line written; longer field values are cut. */
#define LOG_LINE_MAX 8192

/* Set the minimum level, the format and the fd written to (2 = stderr). */
void log_setup(enum log_level min_level, enum log_format format, int fd);

/* Parse "debug" | "info" | "warn" | "error"; ERR_INVALID_ARGUMENT otherwise. */
MUST_CHECK enum err log_level_parse(const char *s, enum log_level *out);
/* Parse "json" | "text"; ERR_INVALID_ARGUMENT otherwise. */
MUST_CHECK enum err log_format_parse(const char *s, enum log_format *out);
const char *log_level_str(enum log_level level);

struct log_line {
	struct buf b;
	enum log_format format;
};

/* Start a line with ts, level and msg; false if level is filtered out. */
bool log_begin(struct log_line *l, enum log_level level, const char *msg);
void log_str(struct log_line *l, const char *key, const char *val);
void log_int(struct log_line *l, const char *key, long long val);
void log_dbl(struct log_line *l, const char *key, double val);
void log_bool(struct log_line *l, const char *key, bool val);
/* Write the line and free it. */
void log_end(struct log_line *l);

/* One-shot message with no extra fields. */
void log_msgf(enum log_level level, const char *fmt, ...) PRINTF_LIKE(2, 3);

#define log_debug(...) log_msgf(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msgf(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msgf(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msgf(LOG_ERROR, __VA_ARGS__)

#endif
