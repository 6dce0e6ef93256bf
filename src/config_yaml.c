/*
 * config_yaml.c - the YAML half of the configuration loader: a document in,
 * one string per known key out, every problem reported with its YAML path.
 *
 * libcyaml loads the document against a schema built at run time from the
 * dotted key paths: every mapping is an optional pointer to an array of
 * slots and every key an optional string stored in the slot of its index,
 * so a missing key reads as NULL and config.c converts and range-checks each
 * value itself. libcyaml 1.3 stops at the first problem and has no "warn on
 * ignored key" mode, so its log is captured, the problem is turned into a
 * message, the offending key becomes an ignored key of the schema, and the
 * document is loaded again, until it loads or CFG_YAML_MAX_PROBLEMS were
 * found. A syntax error ends the loop at once.
 *
 * It knows no types, defaults or environment (config.c), and it never echoes
 * a scalar value, since values may be secrets.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cyaml/cyaml.h>

#include "config_int.h"
#include "medley/xalloc.h"

#define LOG_MAX_MSGS 16	       /* messages kept from one load attempt */
#define LOG_MAX_MSG_BYTES 4096 /* a longer message is kept empty */
#define KEY_ECHO_MAX 64	       /* bytes of an unknown key quoted back */
#define SUGGEST_MAX_LEN 32     /* longest key considered for "did you mean" */
#define NO_INDEX SIZE_MAX

/* One mapping of the document: the root, a section, a nested block. */
struct node {
	size_t parent;		      /* index in schema.nodes (0, the root, for the root) */
	size_t field;		      /* index of this node's field in the parent */
	cyaml_schema_field_t *fields; /* known keys, then ignored ones, then END */
	size_t n_fields;
	size_t cap_fields; /* room for fields, END not counted */
};

struct schema {
	struct node *nodes; /* nodes[0] is the document root */
	size_t n_nodes;
	size_t n_keys;	  /* slots [0, n_keys) are values, then one per node */
	size_t *key_node; /* node holding key i */
	char **names;	  /* every field key string, owned */
	size_t n_names;
	cyaml_schema_value_t root;
};

/* What libcyaml logged during one load attempt. */
struct capture {
	char *msg[LOG_MAX_MSGS];
	size_t n;
};

/* Where libcyaml's backtrace puts a problem. */
struct loc {
	size_t node;		     /* innermost mapping reached */
	cyaml_schema_field_t *field; /* innermost field named; NULL for the root */
	size_t line, column;	     /* 1-based; 0 when not known */
	char path[256];		     /* "server.port"; "" for the root */
};

static void *mem_fn(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	if (size == 0) {
		xfree(ptr);
		return NULL;
	}
	return xrealloc(ptr, size);
}

PRINTF_LIKE(3, 0)
static void capture_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct capture *cap = ctx;
	struct buf b;

	(void)level;
	if (cap->n == LOG_MAX_MSGS)
		return;
	buf_init(&b, LOG_MAX_MSG_BYTES);
	buf_vaddf(&b, fmt, args);
	cap->msg[cap->n++] = buf_detach(&b, NULL);
}

static void capture_reset(struct capture *cap)
{
	for (size_t i = 0; i < cap->n; i++)
		xfree(cap->msg[i]);
	cap->n = 0;
}

static bool prefixed(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Length of the one-line message s without its final newline. */
static size_t line_len(const char *s)
{
	size_t n = strlen(s);

	return n && s[n - 1] == '\n' ? n - 1 : n;
}

/* --- the schema ---------------------------------------------------------- */

static char *own_name(struct schema *s, const char *p, size_t len)
{
	s->names = xrealloc(s->names, (s->n_names + 1) * sizeof(*s->names));
	s->names[s->n_names] = xstrndup(p, len);
	return s->names[s->n_names++];
}

/* Append f and keep the END marker after it; only while the schema is built. */
static size_t node_add_field(struct node *nd, const cyaml_schema_field_t *f)
{
	if (nd->n_fields == nd->cap_fields) {
		nd->cap_fields = nd->cap_fields ? 2 * nd->cap_fields : 8;
		nd->fields = xrealloc(nd->fields, (nd->cap_fields + 1) * sizeof(*nd->fields));
	}
	nd->fields[nd->n_fields] = *f;
	memset(&nd->fields[nd->n_fields + 1], 0, sizeof(*nd->fields));
	return nd->n_fields++;
}

/* Index of the field called name (len bytes) in nd, or NO_INDEX. */
static size_t node_find(const struct node *nd, const char *name, size_t len)
{
	for (size_t i = 0; i < nd->n_fields; i++) {
		const char *k = nd->fields[i].key;

		if (strncmp(k, name, len) == 0 && k[len] == '\0')
			return i;
	}
	return NO_INDEX;
}

static size_t child_of(const struct schema *s, size_t parent, size_t field)
{
	for (size_t i = 1; i < s->n_nodes; i++) {
		if (s->nodes[i].parent == parent && s->nodes[i].field == field)
			return i;
	}
	return NO_INDEX;
}

/* The mapping called name (len bytes) under parent, created on first use. */
static size_t node_child(struct schema *s, size_t parent, const char *name, size_t len)
{
	size_t f = node_find(&s->nodes[parent], name, len), i = s->n_nodes;
	cyaml_schema_field_t field = {0};

	if (f != NO_INDEX) {
		assert(s->nodes[parent].fields[f].value.type == CYAML_MAPPING);
		return child_of(s, parent, f);
	}
	field.key = own_name(s, name, len);
	field.data_offset = (uint32_t)((s->n_keys + i) * sizeof(void *));
	field.value.type = CYAML_MAPPING;
	field.value.flags = (enum cyaml_flag)(CYAML_FLAG_POINTER_NULL_STR | CYAML_FLAG_OPTIONAL);
	s->nodes = xrealloc(s->nodes, (i + 1) * sizeof(*s->nodes));
	s->nodes[i] = (struct node){.parent = parent};
	s->nodes[i].field = node_add_field(&s->nodes[parent], &field);
	s->n_nodes++;
	return i;
}

static void schema_add_key(struct schema *s, const char *path, size_t i)
{
	cyaml_schema_field_t field = {
		.value = {CYAML_VALUE_STRING(CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, char *, 0,
					     CYAML_UNLIMITED)},
	};
	const char *dot;
	size_t node = 0;

	while ((dot = strchr(path, '.')) != NULL) {
		node = node_child(s, node, path, (size_t)(dot - path));
		path = dot + 1;
	}
	assert(node_find(&s->nodes[node], path, strlen(path)) == NO_INDEX);
	field.key = own_name(s, path, strlen(path));
	field.data_offset = (uint32_t)(i * sizeof(char *));
	node_add_field(&s->nodes[node], &field);
	s->key_node[i] = node;
}

/* Reserve room for ignored keys, then point every mapping at its fields. */
static void schema_finish(struct schema *s)
{
	uint32_t size = (uint32_t)((s->n_keys + s->n_nodes) * sizeof(void *));

	for (size_t i = 0; i < s->n_nodes; i++) {
		struct node *nd = &s->nodes[i];

		nd->cap_fields = nd->n_fields + CFG_YAML_MAX_PROBLEMS;
		nd->fields = xrealloc(nd->fields, (nd->cap_fields + 1) * sizeof(*nd->fields));
		memset(&nd->fields[nd->n_fields], 0, sizeof(*nd->fields));
	}
	for (size_t i = 1; i < s->n_nodes; i++) {
		struct node *nd = &s->nodes[i];
		cyaml_schema_field_t *f = &s->nodes[nd->parent].fields[nd->field];

		f->value.data_size = size;
		f->value.mapping.fields = nd->fields;
	}
	s->root.type = CYAML_MAPPING;
	s->root.flags = CYAML_FLAG_POINTER_NULL;
	s->root.data_size = size;
	s->root.mapping.fields = s->nodes[0].fields;
}

static void schema_build(struct schema *s, const char *const *paths, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->n_keys = n;
	s->key_node = xcalloc(n, sizeof(*s->key_node));
	s->nodes = xcalloc(1, sizeof(*s->nodes));
	s->n_nodes = 1;
	for (size_t i = 0; i < n; i++)
		schema_add_key(s, paths[i], i);
	schema_finish(s);
}

static void schema_release(struct schema *s)
{
	for (size_t i = 0; i < s->n_nodes; i++)
		xfree(s->nodes[i].fields);
	for (size_t i = 0; i < s->n_names; i++)
		xfree(s->names[i]);
	xfree(s->nodes);
	xfree(s->names);
	xfree(s->key_node);
}

/* The slot array of node in the loaded document, or NULL if it is absent. */
static void **node_map(const struct schema *s, void **doc, size_t node)
{
	void **up;

	if (node == 0 || !doc)
		return doc;
	up = node_map(s, doc, s->nodes[node].parent);
	return up ? up[s->n_keys + node] : NULL;
}

/* --- turning libcyaml's log into messages -------------------------------- */

/* Follow one backtrace name down from loc; false if the schema has no such key. */
static bool descend(struct schema *s, struct loc *loc, const char *name, size_t len)
{
	size_t f, used = strlen(loc->path);

	if (loc->field && loc->field->value.type != CYAML_MAPPING)
		return false;
	f = node_find(&s->nodes[loc->node], name, len);
	if (f == NO_INDEX)
		return false;
	loc->field = &s->nodes[loc->node].fields[f];
	if (loc->field->value.type == CYAML_MAPPING)
		loc->node = child_of(s, loc->node, f);
	snprintf(loc->path + used, sizeof(loc->path) - used, "%s%.*s", used ? "." : "", (int)len,
		 name);
	return true;
}

/* Read the backtrace libcyaml logged (innermost entry first) into loc. */
static bool locate(struct schema *s, const struct capture *cap, struct loc *loc)
{
	static const char tag[] = "  in mapping field '";
	bool ok = true;
	size_t i = cap->n;

	memset(loc, 0, sizeof(*loc));
	while (i-- > 0) {
		const char *m = cap->msg[i], *pos = strstr(m, "(line: ");

		if (!prefixed(m, "  in "))
			continue;
		if (!pos || sscanf(pos, "(line: %zu, column: %zu)", &loc->line, &loc->column) != 2)
			loc->line = loc->column = 0;
		if (ok && prefixed(m, tag))
			ok = descend(s, loc, m + strlen(tag), strcspn(m + strlen(tag), "'"));
	}
	return ok;
}

/* The problem libcyaml logged, without its "Load: " prefix; "" if none. */
static const char *main_message(const struct capture *cap)
{
	for (size_t i = 0; i < cap->n; i++) {
		const char *m = cap->msg[i];

		if (prefixed(m, "  in ") || prefixed(m, "Load: Backtrace:"))
			continue;
		return prefixed(m, "Load: ") ? m + strlen("Load: ") : m;
	}
	return "";
}

/* Quote a key from the document back, control bytes replaced, length capped. */
static void add_echo(struct buf *b, const char *s, size_t len)
{
	size_t n = len < KEY_ECHO_MAX ? len : KEY_ECHO_MAX;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		buf_addch(b, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	if (n < len)
		buf_adds(b, "...");
}

/* Levenshtein distance; both strings at most SUGGEST_MAX_LEN bytes. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[SUGGEST_MAX_LEN + 1];

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* Append "; did you mean 'port'?" when a known key of nd is close to key. */
static void suggest(const struct node *nd, const char *key, size_t len, struct buf *errors)
{
	char word[SUGGEST_MAX_LEN + 1];
	const char *best = NULL;
	size_t best_d = 3;

	if (len > SUGGEST_MAX_LEN)
		return;
	memcpy(word, key, len);
	word[len] = '\0';
	for (size_t i = 0; i < nd->n_fields; i++) {
		size_t d;

		if (nd->fields[i].value.type == CYAML_IGNORE)
			continue;
		d = edit_distance(word, nd->fields[i].key);
		if (d < best_d) {
			best_d = d;
			best = nd->fields[i].key;
		}
	}
	if (best)
		buf_addf(errors, "; did you mean '%s'?", best);
}

static bool ignore_field(cyaml_schema_field_t *f)
{
	if (f->value.type == CYAML_IGNORE)
		return false;
	f->value = (cyaml_schema_value_t){.type = CYAML_IGNORE, .flags = CYAML_FLAG_OPTIONAL};
	return true;
}

/* "Unexpected key: K": report it, then have the next load ignore K there. */
static bool unknown_key(struct schema *s, const struct loc *loc, const char *msg,
			struct buf *errors)
{
	const char *key = msg + strlen("Unexpected key: ");
	size_t len = line_len(key);
	struct node *nd = &s->nodes[loc->node];

	buf_addf(errors, "%s%s", loc->path, *loc->path ? "." : "");
	add_echo(errors, key, len);
	buf_adds(errors, ": unknown key");
	suggest(nd, key, len, errors);
	buf_addch(errors, '\n');
	if (nd->n_fields == nd->cap_fields || node_find(nd, key, len) != NO_INDEX)
		return false;
	nd->fields[nd->n_fields].key = own_name(s, key, len);
	nd->fields[nd->n_fields].data_offset = 0;
	ignore_field(&nd->fields[nd->n_fields]);
	nd->n_fields++;
	memset(&nd->fields[nd->n_fields], 0, sizeof(*nd->fields));
	return true;
}

/* "Expecting STRING, got event: SEQUENCE_START" and the like. */
static bool wrong_shape(const struct loc *loc, const char *msg, const char *name,
			struct buf *errors)
{
	const char *ev = strstr(msg, "got event: "), *got = "something else";

	ev = ev ? ev + strlen("got event: ") : "";
	if (prefixed(ev, "SCALAR"))
		got = "a single value";
	else if (prefixed(ev, "SEQUENCE_START"))
		got = "a list";
	else if (prefixed(ev, "MAPPING_START"))
		got = "a mapping";
	if (!loc->field) {
		buf_addf(errors, "%s: must be a mapping of sections, got %s\n", name, got);
		return false;
	}
	buf_addf(errors, "%s: must be %s, got %s\n", loc->path,
		 loc->field->value.type == CYAML_MAPPING ? "a mapping of keys" : "a single value",
		 got);
	return ignore_field(loc->field);
}

/* Anything we cannot resume after: a syntax error, a broken alias, ... */
static void fatal(const struct loc *loc, const char *msg, cyaml_err_t ce, const char *name,
		  struct buf *errors)
{
	bool syntax = ce == CYAML_ERR_LIBYAML_PARSER && prefixed(msg, "libyaml: ");

	buf_addf(errors, "%s: %s", name, syntax ? "invalid YAML" : "cannot load YAML");
	if (loc->line)
		buf_addf(errors, " at or after line %zu, column %zu", loc->line, loc->column);
	if (syntax)
		buf_addf(errors, ": %s", msg + strlen("libyaml: "));
	else
		buf_addf(errors, ": %s\n", cyaml_strerror(ce));
}

/* Report the failed load; true if the schema changed and it is worth loading again. */
static bool handle_failure(struct schema *s, const struct capture *cap, cyaml_err_t ce,
			   const char *name, struct buf *errors)
{
	const char *msg = main_message(cap);
	struct loc loc;
	bool located = locate(s, cap, &loc);

	if (located && ce == CYAML_ERR_INVALID_KEY && prefixed(msg, "Unexpected key: ") &&
	    (!loc.field || loc.field->value.type == CYAML_MAPPING))
		return unknown_key(s, &loc, msg, errors);
	if (located && prefixed(msg, "Expecting "))
		return wrong_shape(&loc, msg, name, errors);
	if (located && loc.field && prefixed(msg, "Mapping field already seen: ")) {
		buf_addf(errors, "%s: duplicate key\n", loc.path);
		return ignore_field(loc.field);
	}
	fatal(&loc, msg, ce, name, errors);
	return false;
}

/* What libcyaml warned about although the load succeeded; returns the count. */
static size_t report_warnings(const struct capture *cap, const char *name, struct buf *errors)
{
	size_t n = 0;

	for (size_t i = 0; i < cap->n; i++) {
		const char *m = cap->msg[i];

		if (prefixed(m, "  in ") || prefixed(m, "Load: Backtrace:"))
			continue;
		if (strstr(m, "Ignoring documents after first"))
			buf_addf(errors, "%s: more than one YAML document; only one is allowed\n",
				 name);
		else
			buf_addf(errors, "%s: %.*s\n", name, (int)line_len(m), m);
		n++;
	}
	return n;
}

static void collect(const struct schema *s, void *doc, char **values)
{
	for (size_t i = 0; i < s->n_keys; i++) {
		void **map = node_map(s, doc, s->key_node[i]);

		if (map && map[i])
			values[i] = xstrdup(map[i]);
	}
}

enum err cfg_yaml_parse(const char *name, const char *text, size_t len, const char *const *paths,
			size_t n, char **values, struct buf *errors)
{
	struct capture cap = {.n = 0};
	cyaml_config_t cc = {
		.log_fn = capture_log,
		.log_ctx = &cap,
		.mem_fn = mem_fn,
		.log_level = CYAML_LOG_WARNING,
		.flags = CYAML_CFG_DEFAULT,
	};
	struct schema s;
	void *doc = NULL;
	size_t problems = 0;
	cyaml_err_t ce;

	schema_build(&s, paths, n);
	for (;;) {
		capture_reset(&cap);
		ce = cyaml_load_data((const uint8_t *)text, len, &cc, &s.root, &doc, NULL);
		if (ce == CYAML_OK)
			break;
		problems++;
		if (!handle_failure(&s, &cap, ce, name, errors))
			goto out;
		if (problems == CFG_YAML_MAX_PROBLEMS) {
			buf_addf(errors, "%s: too many problems; stopped after %d\n", name,
				 CFG_YAML_MAX_PROBLEMS);
			goto out;
		}
	}
	problems += report_warnings(&cap, name, errors);
	collect(&s, doc, values);
	if (doc)
		cyaml_free(&cc, &s.root, doc, 0);
out:
	capture_reset(&cap);
	schema_release(&s);
	return problems ? ERR_CONFIG : ERR_OK;
}
