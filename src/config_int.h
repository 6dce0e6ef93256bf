/*
 * config_int.h - private seam between config.c and config_yaml.c.
 *
 * Not a public header: only src/config*.c include it. config.c owns the key
 * table, the conversions and the environment; config_yaml.c turns a YAML
 * document into one string per dotted key path, so it is the only file that
 * sees libcyaml and it knows nothing about types or struct config.
 */
#ifndef MEDLEY_CONFIG_INT_H
#define MEDLEY_CONFIG_INT_H

#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

/* Problems reported for one document before giving up on it. */
#define CFG_YAML_MAX_PROBLEMS 20

/*
 * Parse the YAML document text (len bytes; name is the file name used in
 * messages) against the n dotted key paths in paths ("server.port", any
 * depth; a path may not also be a prefix of another). values must hold n
 * NULL pointers; on return values[i] is a copy of the scalar found at
 * paths[i], for the caller to free with xfree(), or NULL when the document
 * does not set it.
 *
 * Every problem (syntax error, unknown key, a sequence or mapping where a
 * value belongs, a duplicate key) is appended to errors as one line starting
 * with its YAML path or the file name; values that loaded are still
 * returned. Scalar values are never echoed, since they may be secrets.
 * Returns ERR_OK, or ERR_CONFIG when at least one problem was reported.
 * Pure: no I/O, no globals; reentrant.
 */
MUST_CHECK enum err cfg_yaml_parse(const char *name, const char *text, size_t len,
				   const char *const *paths, size_t n, char **values,
				   struct buf *errors);

#endif
