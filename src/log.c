/*
 * log.c - the line builder behind log.h.
 *
 * Keeps three globals (level, format, fd), set once by log_setup() before
 * threads start and read-only afterwards. Does not rotate, buffer or ship
 * logs anywhere: that is the supervisor's job (journald, the container
 * runtime).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "medley/clock.h"
#include "medley/log.h"

static _Atomic int log_min = LOG_INFO;
static _Atomic int log_fmt = LOG_FORMAT_JSON;
static _Atomic int log_fd = 2;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_setup(enum log_level min_level, enum log_format format, int fd)
{
	atomic_store(&log_min, (int)min_level);
	atomic_store(&log_fmt, (int)format);
	atomic_store(&log_fd, fd);
}

const char *log_level_str(enum log_level level)
{
	if ((unsigned)level >= ARRAY_SIZE(level_names))
		return "error";
	return level_names[level];
}

enum err log_level_parse(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(level_names); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return ERR_OK;
		}
	}
	return ERR_INVALID_ARGUMENT;
}

enum err log_format_parse(const char *s, enum log_format *out)
{
	if (strcmp(s, "json") == 0)
		*out = LOG_FORMAT_JSON;
	else if (strcmp(s, "text") == 0)
		*out = LOG_FORMAT_TEXT;
	else
		return ERR_INVALID_ARGUMENT;
	return ERR_OK;
}

/* logfmt: bare if it is a simple token, else a quoted JSON-style string. */
static void add_text_value(struct buf *b, const char *s)
{
	bool bare = *s != '\0';

	for (const char *p = s; *p && bare; p++)
		bare = *p > ' ' && *p != '"' && *p != '=' && *p != '\\' && (unsigned char)*p < 0x7f;
	if (bare)
		buf_adds(b, s);
	else
		buf_add_json_str(b, s);
}

static void add_key(struct log_line *l, const char *key)
{
	if (l->format == LOG_FORMAT_JSON) {
		buf_addch(&l->b, ',');
		buf_add_json_str(&l->b, key);
		buf_addch(&l->b, ':');
	} else {
		buf_addch(&l->b, ' ');
		buf_adds(&l->b, key);
		buf_addch(&l->b, '=');
	}
}

bool log_begin(struct log_line *l, enum log_level level, const char *msg)
{
	char ts[CLOCK_RFC3339_LEN];

	if ((int)level < atomic_load(&log_min))
		return false;
	buf_init(&l->b, LOG_LINE_MAX - 2);
	l->format = (enum log_format)atomic_load(&log_fmt);
	clock_format_rfc3339(clock_wall_us(), ts);
	if (l->format == LOG_FORMAT_JSON) {
		buf_addf(&l->b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":", ts,
			 log_level_str(level));
		buf_add_json_str(&l->b, msg);
	} else {
		buf_addf(&l->b, "ts=%s level=%s msg=", ts, log_level_str(level));
		buf_add_json_str(&l->b, msg);
	}
	return true;
}

void log_str(struct log_line *l, const char *key, const char *val)
{
	add_key(l, key);
	if (!val)
		buf_adds(&l->b, "null");
	else if (l->format == LOG_FORMAT_JSON)
		buf_add_json_str(&l->b, val);
	else
		add_text_value(&l->b, val);
}

void log_int(struct log_line *l, const char *key, long long val)
{
	add_key(l, key);
	buf_addf(&l->b, "%lld", val);
}

void log_dbl(struct log_line *l, const char *key, double val)
{
	add_key(l, key);
	buf_addf(&l->b, "%.3f", val);
}

void log_bool(struct log_line *l, const char *key, bool val)
{
	add_key(l, key);
	buf_adds(&l->b, val ? "true" : "false");
}

void log_end(struct log_line *l)
{
	struct buf *b = &l->b;
	const char *p;
	size_t left;

	if (buf_failed(b)) {
		/* Keep the line well-formed even when a field overflowed. */
		buf_reset(b);
		buf_adds(b, l->format == LOG_FORMAT_JSON
				    ? "{\"level\":\"warn\",\"msg\":\"log line too long, dropped\""
				    : "level=warn msg=\"log line too long, dropped\"");
	}
	if (l->format == LOG_FORMAT_JSON)
		buf_addch(b, '}');
	buf_addch(b, '\n');
	p = b->data;
	left = b->len;
	while (left > 0) {
		ssize_t n = write(atomic_load(&log_fd), p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	buf_release(b);
}

void log_msgf(enum log_level level, const char *fmt, ...)
{
	struct log_line l;
	char msg[1024];
	va_list ap;

	if ((int)level < atomic_load(&log_min))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_begin(&l, level, msg))
		log_end(&l);
}
