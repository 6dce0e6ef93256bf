/*
 * metrics_process.c - the standard process_* metrics, read from procfs when
 * /metrics is scraped.
 *
 * It fills the PROC rows of METRICS_TABLE: CPU time, virtual and resident
 * memory and start time from /proc/self/stat (plus btime from /proc/stat),
 * open descriptors by listing /proc/self/fd, and the descriptor limit from
 * getrlimit(). Every source is optional: one that cannot be read leaves its
 * rows out of the page and never fails the scrape.
 *
 * It stores nothing between scrapes, renders nothing (metrics.c does) and
 * is Linux-only in practice: elsewhere every read fails and the rows vanish.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "medley/metrics.h"

/* The stat fields we use, numbered as in proc(5); field 3 follows the ')'. */
enum {
	STAT_UTIME = 14,
	STAT_STIME = 15,
	STAT_STARTTIME = 22,
	STAT_VSIZE = 23,
	STAT_RSS = 24,
};

/* Store field number `field` of the stat line, if it is one we keep. */
static void stat_store(struct metrics_proc_stat *out, int field, uint64_t v)
{
	switch (field) {
	case STAT_UTIME:
		out->utime_ticks = v;
		break;
	case STAT_STIME:
		out->stime_ticks = v;
		break;
	case STAT_STARTTIME:
		out->starttime_ticks = v;
		break;
	case STAT_VSIZE:
		out->vsize_bytes = v;
		break;
	case STAT_RSS:
		out->rss_pages = v;
		break;
	}
}

/* Parse the unsigned field at p (no sign, no blanks) into *v; the end, or NULL. */
static const char *stat_field(const char *p, uint64_t *v)
{
	char *end;

	if (*p < '0' || *p > '9')
		return NULL;
	errno = 0;
	*v = strtoull(p, &end, 10);
	return errno || (*end != ' ' && *end != '\n' && *end) ? NULL : end;
}

enum err metrics_proc_stat_parse(const char *text, struct metrics_proc_stat *out)
{
	/* The command name (field 2) is in parentheses and may contain anything. */
	const char *p = strrchr(text, ')');
	int field = 3;

	memset(out, 0, sizeof(*out));
	if (!p || !strchr(text, '(') || p[1] != ' ')
		return ERR_INVALID_ARGUMENT;
	p += 2;
	for (;;) {
		uint64_t v;
		size_t len = strcspn(p, " \n");

		if (!len)
			return ERR_INVALID_ARGUMENT;
		if (field >= STAT_UTIME) {
			/* Fields we skip may be negative (tpgid, nice); ours may not. */
			const char *end = stat_field(p, &v);

			if (!end)
				return ERR_INVALID_ARGUMENT;
			stat_store(out, field, v);
		}
		if (field == STAT_RSS)
			return ERR_OK;
		p += len;
		if (*p++ != ' ')
			return ERR_INVALID_ARGUMENT;
		field++;
	}
}

/* Read up to cap-1 bytes of a small file into out, NUL-terminated. */
static bool read_small_file(const char *path, char *out, size_t cap)
{
	size_t len = 0;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	while (len < cap - 1) {
		n = read(fd, out + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	out[len] = '\0';
	return n >= 0 && len > 0;
}

/* The boot time in seconds since the epoch, from the btime line of /proc/stat. */
static bool read_btime(uint64_t *out)
{
	FILE *f = fopen("/proc/stat", "re");
	char *line = NULL;
	size_t cap = 0;
	bool ok = false;
	unsigned long long v;

	if (!f)
		return false;
	/* getline copes with the very long "intr" line of big machines. */
	while (!ok && getline(&line, &cap, f) > 0) {
		if (sscanf(line, "btime %llu", &v) == 1) {
			*out = v;
			ok = true;
		}
	}
	free(line);
	fclose(f);
	return ok;
}

static void set(struct metrics_proc_values *out, enum metrics_id id, double v)
{
	out->value[id] = v;
	out->have[id] = true;
}

static void read_stat(struct metrics_proc_values *out)
{
	char text[4096];
	struct metrics_proc_stat st;
	long tck = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
	uint64_t btime;

	if (!read_small_file("/proc/self/stat", text, sizeof(text)) ||
	    metrics_proc_stat_parse(text, &st) != ERR_OK)
		return;
	set(out, METRICS_PROCESS_VIRTUAL_MEMORY, (double)st.vsize_bytes);
	if (page > 0)
		set(out, METRICS_PROCESS_RESIDENT_MEMORY, (double)st.rss_pages * (double)page);
	if (tck <= 0)
		return;
	set(out, METRICS_PROCESS_CPU, (double)(st.utime_ticks + st.stime_ticks) / (double)tck);
	if (read_btime(&btime))
		set(out, METRICS_PROCESS_START_TIME,
		    (double)btime + (double)st.starttime_ticks / (double)tck);
}

/* Count the entries of /proc/self/fd, leaving out the one the listing uses. */
static void read_open_fds(struct metrics_proc_values *out)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t n = 0;
	int own;

	if (!d)
		return;
	own = dirfd(d);
	while ((e = readdir(d))) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);

		if (e->d_name[0] != '.' && !*end && fd != own)
			n++;
	}
	closedir(d);
	set(out, METRICS_PROCESS_OPEN_FDS, (double)n);
}

void metrics_process_read(struct metrics_proc_values *out)
{
	struct rlimit rl;

	memset(out, 0, sizeof(*out));
	read_stat(out);
	read_open_fds(out);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		set(out, METRICS_PROCESS_MAX_FDS, (double)rl.rlim_cur);
}
