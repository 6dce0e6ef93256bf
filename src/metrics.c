/*
 * metrics.c - the metrics table made real: atomic cells, label sets and the
 * Prometheus text exposition (format 0.0.4).
 *
 * Every row of METRICS_TABLE gets a static array of atomic cells sized from
 * the row (the caps of its label dimensions times the slots one series
 * needs), so an update is an index computation and one relaxed atomic add:
 * no lock, no allocation, nothing that fails on the request path. Rendering
 * and the docs table walk the same rows, so no metric has code of its own.
 *
 * This file does not read /proc (metrics_process.c does), does not serve
 * HTTP (the http module calls metrics_render() for GET /metrics) and knows
 * no route, provider or database: their names come in through registration.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "medley/log.h"
#include "medley/metrics.h"
#include "medley/xalloc.h"

#define STATUS_MIN 100
#define STATUS_CAP 500 /* codes 100..599 */

enum mtype {
	T_COUNTER,
	T_GAUGE,
	T_HISTOGRAM
};
enum src_kind {
	SRC_CELL,
	SRC_PROC,
	SRC_BUCKETS
};
enum dim_kind {
	DIM_NONE,
	DIM_REGISTERED,
	DIM_STATIC,
	DIM_STATUS
};

static const char *const type_names[] = {"counter", "gauge", "histogram"};

/* Bucket layouts and the other value sources ------------------------------ */

#define UNPAREN(...) __VA_ARGS__
#define BOUNDS_ROW(id, decimals, bounds) static const uint64_t bounds_##id[] = {UNPAREN bounds};
METRICS_BUCKETS_TABLE(BOUNDS_ROW)

struct source {
	enum src_kind kind;
	size_t slots;		/* cells per series: 1, or buckets + +Inf + sum */
	const uint64_t *bounds; /* finite upper bounds (SRC_BUCKETS) */
	size_t nbounds;
	unsigned decimals; /* digits shown behind the point */
};

static const struct source src_CELL = {SRC_CELL, 1, NULL, 0, 0};
static const struct source src_PROC = {SRC_PROC, 1, NULL, 0, 0};
#define SOURCE_ROW(id, decimals, bounds)                                                 \
	static const struct source src_##id = {SRC_BUCKETS, ARRAY_SIZE(bounds_##id) + 2, \
					       bounds_##id, ARRAY_SIZE(bounds_##id), decimals};
METRICS_BUCKETS_TABLE(SOURCE_ROW)

/* Compile-time slots and kind of each source, for array sizes and asserts. */
#define SLOTS_ROW(id, decimals, bounds) SLOTS_##id = ARRAY_SIZE(bounds_##id) + 2,
#define KIND_ROW(id, decimals, bounds) KIND_##id = SRC_BUCKETS,
enum {
	SLOTS_CELL = 1,
	SLOTS_PROC = 1,
	METRICS_BUCKETS_TABLE(SLOTS_ROW)
};
enum {
	KIND_CELL = SRC_CELL,
	KIND_PROC = SRC_PROC,
	METRICS_BUCKETS_TABLE(KIND_ROW)
};

/* Label dimensions --------------------------------------------------------- */

#define VALUE_NAME(enumerator, name) name,
#define STATIC_NAMES_ROW(id, label, kind, cap, values, fallback) \
	static const char *const static_##id[] = {values(VALUE_NAME) NULL};
METRICS_DIM_TABLE(STATIC_NAMES_ROW)

/* CAP_<dim>: how many values a dimension can take; it sizes the cell arrays. */
#define CAP_ROW(id, label, kind, cap, values, fallback)                          \
	CAP_##id = DIM_##kind == DIM_STATIC   ? (int)ARRAY_SIZE(static_##id) - 1 \
		   : DIM_##kind == DIM_STATUS ? STATUS_CAP                       \
					      : (cap),
enum {
	CAP_NONE = 1,
	METRICS_DIM_TABLE(CAP_ROW)
};

/* Copies of the names of REGISTERED dimensions, and how many there are. */
#define NAMES_ROW(id, label, kind, cap, values, fallback) \
	static char *names_##id[DIM_##kind == DIM_REGISTERED ? CAP_##id : 1];
METRICS_DIM_TABLE(NAMES_ROW)
static _Atomic size_t registered[METRICS_DIM__COUNT];

struct dim {
	const char *label;
	enum dim_kind kind;
	size_t cap;
	const char *const *static_names;
	char **names; /* REGISTERED: names[0 .. registered[dim]) */
	const char *fallback;
};

#define DIM_ROW(id, label, kind, cap, values, fallback) \
	[METRICS_DIM_##id] = {label, DIM_##kind, CAP_##id, static_##id, names_##id, fallback},
// clang-format off
static const struct dim dims[METRICS_DIM__COUNT] = {
	[METRICS_DIM_NONE] = {NULL, DIM_NONE, 1, NULL, NULL, NULL},
	METRICS_DIM_TABLE(DIM_ROW)
};
// clang-format on

/* Families ----------------------------------------------------------------- */

#define CELLS_ROW(id, name, type, dim1, dim2, src, help) \
	static _Atomic uint64_t cells_##id[CAP_##dim1 * CAP_##dim2 * SLOTS_##src];
METRICS_TABLE(CELLS_ROW)

#define CHECK_ROW(id, name, type, dim1, dim2, src, help)                                           \
	_Static_assert((T_##type == T_HISTOGRAM) == ((int)KIND_##src == (int)SRC_BUCKETS), name    \
		       ": a HISTOGRAM row needs a bucket layout as src, others CELL or PROC");     \
	_Static_assert((int)KIND_##src != (int)SRC_PROC || METRICS_DIM_##dim1 == METRICS_DIM_NONE, \
		       name ": a PROC row has no labels");                                         \
	_Static_assert(METRICS_DIM_##dim1 != METRICS_DIM_NONE ||                                   \
			       METRICS_DIM_##dim2 == METRICS_DIM_NONE,                             \
		       name ": use dim1 before dim2");                                             \
	_Static_assert(METRICS_DIM_##dim1 == METRICS_DIM_NONE ||                                   \
			       METRICS_DIM_##dim1 != METRICS_DIM_##dim2,                           \
		       name ": the two dimensions must differ");
METRICS_TABLE(CHECK_ROW)

struct family {
	const char *name;
	const char *help;
	enum mtype type;
	const struct source *src;
	enum metrics_dim dim1, dim2;
	_Atomic uint64_t *cells;
	size_t ncells;
};

#define FAMILY_ROW(id, name, type, dim1, dim2, src, help) \
	[METRICS_##id] = {name,                           \
			  help,                           \
			  T_##type,                       \
			  &src_##src,                     \
			  METRICS_DIM_##dim1,             \
			  METRICS_DIM_##dim2,             \
			  cells_##id,                     \
			  ARRAY_SIZE(cells_##id)},
static const struct family families[METRICS__COUNT] = {METRICS_TABLE(FAMILY_ROW)};

/* Label values ------------------------------------------------------------- */

/* How many values dimension d has now. */
static size_t dim_count(enum metrics_dim d)
{
	if (dims[d].kind == DIM_REGISTERED)
		return atomic_load_explicit(&registered[d], memory_order_acquire);
	return dims[d].cap;
}

/* The name of value i of dimension d; tmp holds a status code's digits. */
static const char *dim_value(enum metrics_dim d, size_t i, char tmp[8])
{
	switch (dims[d].kind) {
	case DIM_STATUS:
		snprintf(tmp, 8, "%zu", i + STATUS_MIN);
		return tmp;
	case DIM_STATIC:
		return dims[d].static_names[i];
	case DIM_REGISTERED:
		return dims[d].names[i];
	case DIM_NONE:
		break;
	}
	return "";
}

static void count_label_error(void)
{
	atomic_fetch_add_explicit(&cells_LABEL_ERRORS[0], 1, memory_order_relaxed);
}

/* The index of d's fallback name, or -1 (only on the rare out-of-range path). */
static long dim_fallback(enum metrics_dim d)
{
	char tmp[8];

	if (!dims[d].fallback)
		return -1;
	for (size_t i = 0, n = dim_count(d); i < n; i++) {
		if (!strcmp(dim_value(d, i, tmp), dims[d].fallback))
			return (long)i;
	}
	return -1;
}

/* The cell index of label value v of dimension d, or -1 to drop the update. */
static long dim_index(enum metrics_dim d, unsigned v)
{
	switch (dims[d].kind) {
	case DIM_NONE:
		return 0;
	case DIM_STATUS:
		if (v >= STATUS_MIN && v - STATUS_MIN < STATUS_CAP)
			return (long)(v - STATUS_MIN);
		break;
	case DIM_STATIC:
	case DIM_REGISTERED:
		if (v < dim_count(d))
			return (long)v;
		break;
	}
	count_label_error();
	return dim_fallback(d);
}

/* The first cell of the series of f at label values (l1, l2), or NULL. */
static _Atomic uint64_t *series(const struct family *f, unsigned l1, unsigned l2)
{
	long i1 = dim_index(f->dim1, l1);
	long i2 = i1 < 0 ? -1 : dim_index(f->dim2, l2);
	size_t at;

	if (i2 < 0)
		return NULL;
	at = ((size_t)i1 * dims[f->dim2].cap + (size_t)i2) * f->src->slots;
	assert(at + f->src->slots <= f->ncells);
	return f->cells + at;
}

/* Registration ------------------------------------------------------------- */

static void dim_clear(enum metrics_dim d)
{
	size_t n = atomic_exchange(&registered[d], 0);

	for (size_t i = 0; i < n; i++) {
		xfree(dims[d].names[i]);
		dims[d].names[i] = NULL;
	}
}

/* Check names for registration in d; logs and returns the error if any. */
static enum err check_names(const struct dim *d, const char *const *names, size_t n)
{
	if (n > d->cap) {
		log_error("cannot register %zu '%s' label values: the metrics table allows %zu", n,
			  d->label, d->cap);
		return ERR_TOO_LARGE;
	}
	for (size_t i = 0; i < n; i++) {
		if (!names || !names[i] || !names[i][0]) {
			log_error("cannot register '%s' label value %zu: empty name", d->label, i);
			return ERR_INVALID_ARGUMENT;
		}
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(names[i], names[j])) {
				log_error("cannot register '%s' label value '%s': duplicate",
					  d->label, names[i]);
				return ERR_INVALID_ARGUMENT;
			}
		}
	}
	return ERR_OK;
}

enum err metrics_register_values(enum metrics_dim dim, const char *const *names, size_t n)
{
	const struct dim *d;
	enum err e;

	if (dim >= METRICS_DIM__COUNT || dims[dim].kind != DIM_REGISTERED ||
	    atomic_load(&registered[dim])) {
		log_error("cannot register label values of metrics dimension %d: not REGISTERED "
			  "or already set (metrics_reset() clears it)",
			  (int)dim);
		return ERR_INVALID_ARGUMENT;
	}
	d = &dims[dim];
	e = check_names(d, names, n);
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < n; i++)
		d->names[i] = xstrdup(names[i]);
	atomic_store_explicit(&registered[dim], n, memory_order_release);
	return ERR_OK;
}

void metrics_reset(void)
{
	for (size_t f = 0; f < METRICS__COUNT; f++) {
		for (size_t i = 0; i < families[f].ncells; i++)
			atomic_store_explicit(&families[f].cells[i], 0, memory_order_relaxed);
	}
	for (size_t d = 0; d < METRICS_DIM__COUNT; d++) {
		if (dims[d].kind == DIM_REGISTERED)
			dim_clear((enum metrics_dim)d);
	}
}

enum err metrics_init(const char *const *route_names, size_t n)
{
	metrics_reset();
	return metrics_register_values(METRICS_DIM_ROUTE, route_names, n);
}

/* Register the one value of dimension d: s, or "unknown" if s is NULL or "". */
static void register_one(enum metrics_dim d, const char *s)
{
	const char *name = s && *s ? s : "unknown";
	enum err e;

	dim_clear(d);
	e = metrics_register_values(d, &name, 1);
	assert(e == ERR_OK);
	(void)e;
}

void metrics_set_build_info(const char *version, const char *commit)
{
	register_one(METRICS_DIM_VERSION, version);
	register_one(METRICS_DIM_COMMIT, commit);
	metrics_gauge_set_at(METRICS_BUILD_INFO, 0, 0, 1);
}

/* Updates ------------------------------------------------------------------ */

/* The family of id, asserting that it is a stored row of the given type. */
static const struct family *cell_family(enum metrics_id id, enum mtype type)
{
	assert(id < METRICS__COUNT);
	assert(families[id].type == type && families[id].src->kind != SRC_PROC);
	return &families[id];
}

void metrics_counter_add_at(enum metrics_id id, unsigned l1, unsigned l2, uint64_t n)
{
	_Atomic uint64_t *c = series(cell_family(id, T_COUNTER), l1, l2);

	if (c)
		atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

void metrics_counter_add(enum metrics_id id, uint64_t n)
{
	assert(id < METRICS__COUNT && families[id].dim1 == METRICS_DIM_NONE);
	metrics_counter_add_at(id, 0, 0, n);
}

void metrics_gauge_set_at(enum metrics_id id, unsigned l1, unsigned l2, int64_t value)
{
	_Atomic uint64_t *c = series(cell_family(id, T_GAUGE), l1, l2);

	if (c)
		atomic_store_explicit(c, (uint64_t)value, memory_order_relaxed);
}

void metrics_gauge_set(enum metrics_id id, int64_t value)
{
	assert(id < METRICS__COUNT && families[id].dim1 == METRICS_DIM_NONE);
	metrics_gauge_set_at(id, 0, 0, value);
}

void metrics_gauge_add(enum metrics_id id, int64_t delta)
{
	const struct family *f = cell_family(id, T_GAUGE);

	assert(f->dim1 == METRICS_DIM_NONE);
	/* Two's complement: adding the uint64 image of a negative delta subtracts. */
	atomic_fetch_add_explicit(&f->cells[0], (uint64_t)delta, memory_order_relaxed);
}

void metrics_histogram_observe_at(enum metrics_id id, unsigned l1, unsigned l2, uint64_t value)
{
	const struct family *f = cell_family(id, T_HISTOGRAM);
	_Atomic uint64_t *c = series(f, l1, l2);
	size_t b = 0;

	if (!c)
		return;
	while (b < f->src->nbounds && value > f->src->bounds[b])
		b++;
	atomic_fetch_add_explicit(&c[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c[f->src->nbounds + 1], value, memory_order_relaxed);
}

void metrics_http_observe(size_t route, unsigned status, int64_t duration_us)
{
	unsigned r = route > UINT32_MAX ? UINT32_MAX : (unsigned)route;

	metrics_counter_add_at(METRICS_HTTP_REQUESTS, r, status, 1);
	metrics_histogram_observe_at(METRICS_HTTP_DURATION, r, 0,
				     duration_us > 0 ? (uint64_t)duration_us : 0);
}

void metrics_inflight_add(int delta)
{
	metrics_gauge_add(METRICS_HTTP_IN_FLIGHT, delta);
}

/* Rendering ---------------------------------------------------------------- */

/* Append s escaped for the text format: \\ and \n, plus \" inside label values. */
static void add_escaped(struct buf *out, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(out, "\\\\");
		else if (*s == '\n')
			buf_adds(out, "\\n");
		else if (*s == '"' && quote)
			buf_adds(out, "\\\"");
		else
			buf_addch(out, *s);
	}
}

/* Append v with the last `decimals` digits behind the point, no trailing zeros. */
static void add_scaled(struct buf *out, uint64_t v, unsigned decimals)
{
	uint64_t p = 1;
	char frac[24];
	int n;

	for (unsigned i = 0; i < decimals; i++)
		p *= 10;
	buf_addf(out, "%" PRIu64, v / p);
	if (v % p == 0)
		return;
	n = snprintf(frac, sizeof(frac), "%0*" PRIu64, (int)decimals, v % p);
	while (n > 0 && frac[n - 1] == '0')
		n--;
	buf_addch(out, '.');
	buf_add(out, frac, (size_t)n);
}

static void add_label(struct buf *out, char *sep, const char *name, const char *value)
{
	buf_addch(out, *sep);
	buf_adds(out, name);
	buf_adds(out, "=\"");
	add_escaped(out, value, true);
	buf_addch(out, '"');
	*sep = ',';
}

/* Append name+suffix and the label set of series (i1, i2), plus le unless le_src is NULL. */
static void add_series_name(struct buf *out, const struct family *f, const char *suffix,
			    const size_t idx[2], const struct source *le_src, size_t le_b)
{
	const enum metrics_dim d[2] = {f->dim1, f->dim2};
	char sep = '{', tmp[8];

	buf_adds(out, f->name);
	buf_adds(out, suffix);
	for (int k = 0; k < 2 && d[k] != METRICS_DIM_NONE; k++)
		add_label(out, &sep, dims[d[k]].label, dim_value(d[k], idx[k], tmp));
	if (le_src && le_b < le_src->nbounds) {
		buf_adds(out, sep == '{' ? "{le=\"" : ",le=\"");
		add_scaled(out, le_src->bounds[le_b], le_src->decimals);
		buf_adds(out, "\"}");
	} else if (le_src) {
		buf_adds(out, sep == '{' ? "{le=\"+Inf\"}" : ",le=\"+Inf\"}");
	} else if (sep == ',') {
		buf_addch(out, '}');
	}
	buf_addch(out, ' ');
}

static bool family_sparse(const struct family *f)
{
	return dims[f->dim1].kind == DIM_STATUS || dims[f->dim2].kind == DIM_STATUS;
}

static void render_histogram(struct buf *out, const struct family *f, const size_t idx[2],
			     _Atomic uint64_t *c)
{
	const struct source *s = f->src;
	uint64_t cum = 0;

	if (family_sparse(f)) {
		for (size_t b = 0; b <= s->nbounds; b++)
			cum += atomic_load_explicit(&c[b], memory_order_relaxed);
		if (!cum)
			return;
		cum = 0;
	}
	for (size_t b = 0; b <= s->nbounds; b++) {
		cum += atomic_load_explicit(&c[b], memory_order_relaxed);
		add_series_name(out, f, "_bucket", idx, s, b);
		buf_addf(out, "%" PRIu64 "\n", cum);
	}
	add_series_name(out, f, "_sum", idx, NULL, 0);
	add_scaled(out, atomic_load_explicit(&c[s->nbounds + 1], memory_order_relaxed),
		   s->decimals);
	buf_addch(out, '\n');
	add_series_name(out, f, "_count", idx, NULL, 0);
	buf_addf(out, "%" PRIu64 "\n", cum);
}

static void render_value(struct buf *out, const struct family *f, const size_t idx[2],
			 _Atomic uint64_t *c)
{
	uint64_t v = atomic_load_explicit(c, memory_order_relaxed);

	if (!v && family_sparse(f))
		return;
	add_series_name(out, f, "", idx, NULL, 0);
	if (f->type == T_GAUGE)
		buf_addf(out, "%" PRId64 "\n", (int64_t)v);
	else
		buf_addf(out, "%" PRIu64 "\n", v);
}

static void render_header(struct buf *out, const struct family *f)
{
	buf_addf(out, "# HELP %s ", f->name);
	add_escaped(out, f->help, false);
	buf_addf(out, "\n# TYPE %s %s\n", f->name, type_names[f->type]);
}

/* Append every series of a stored family. */
static void render_cells(struct buf *out, const struct family *f)
{
	size_t n1 = dim_count(f->dim1), n2 = dim_count(f->dim2);
	size_t cap2 = dims[f->dim2].cap;

	render_header(out, f);
	for (size_t i1 = 0; i1 < n1; i1++) {
		for (size_t i2 = 0; i2 < n2; i2++) {
			const size_t idx[2] = {i1, i2};
			_Atomic uint64_t *c = f->cells + (i1 * cap2 + i2) * f->src->slots;

			if (f->type == T_HISTOGRAM)
				render_histogram(out, f, idx, c);
			else
				render_value(out, f, idx, c);
		}
	}
}

enum err metrics_render(struct buf *out)
{
	struct metrics_proc_values proc;

	metrics_process_read(&proc);
	for (size_t id = 0; id < METRICS__COUNT; id++) {
		const struct family *f = &families[id];

		if (f->src->kind != SRC_PROC) {
			render_cells(out, f);
		} else if (proc.have[id]) {
			render_header(out, f);
			buf_addf(out, "%s %.15g\n", f->name, proc.value[id]);
		}
	}
	return buf_failed(out) ? ERR_TOO_LARGE : ERR_OK;
}

/* Docs --------------------------------------------------------------------- */

/* Append s for a Markdown table cell (a '|' would end the cell). */
static void add_md_cell(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			buf_addch(out, '\\');
		buf_addch(out, *s == '\n' ? ' ' : *s);
	}
}

void metrics_docs_render(struct buf *out)
{
	buf_adds(out, "| Metric | Type | Labels | Help |\n|---|---|---|---|\n");
	for (size_t id = 0; id < METRICS__COUNT; id++) {
		const struct family *f = &families[id];

		buf_addf(out, "| `%s` | %s | ", f->name, type_names[f->type]);
		if (f->dim1 == METRICS_DIM_NONE)
			buf_adds(out, "-");
		else
			buf_addf(out, "`%s`", dims[f->dim1].label);
		if (f->dim2 != METRICS_DIM_NONE)
			buf_addf(out, ", `%s`", dims[f->dim2].label);
		buf_adds(out, " | ");
		add_md_cell(out, f->help);
		buf_adds(out, " |\n");
	}
}
