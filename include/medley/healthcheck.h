/*
 * healthcheck.h - `medley healthcheck`: is a medley answering /health?
 *
 * For container HEALTHCHECKs and exec probes, where the image carries no
 * curl: one blocking HTTP/1.0 GET over a plain TCP socket, every step
 * bounded by one deadline, and only the status line read. It does not
 * speak TLS, follow redirects or read the body. It does not use libcurl,
 * so the command stays independent of the fetch engine.
 *
 * Single-threaded use: the functions block the calling thread, hold no
 * state between calls and are reentrant.
 */
#ifndef MEDLEY_HEALTHCHECK_H
#define MEDLEY_HEALTHCHECK_H

#include <stddef.h>

#include "medley/common.h"
#include "medley/config.h"
#include "medley/err.h"

/* How long a probe may take, connect to status line, by default. */
#define HEALTHCHECK_TIMEOUT_MS 2000
/* Room for a URL healthcheck_default_url() writes or healthcheck_probe() takes. */
#define HEALTHCHECK_URL_MAX 512

/*
 * The /health URL of the server cfg describes: its listen address, or the
 * loopback of the same family when it listens on every interface
 * ("0.0.0.0" gives 127.0.0.1, "::" gives [::1]), and its port. Writes it
 * into out (size bytes). Errors: ERR_INVALID_ARGUMENT when cfg->port is 0
 * (a random port cannot be guessed), with the reason in why (why_size
 * bytes, always NUL-terminated). cfg is borrowed. Never blocks.
 */
MUST_CHECK enum err healthcheck_default_url(const struct config_server *cfg, char *out, size_t size,
					    char *why, size_t why_size);

/*
 * GET url (http://host[:port][/path]; host an address literal, [IPv6] or a
 * name) and require status 200 within timeout_ms. On failure writes one line saying why into why (why_size
 * bytes, always NUL-terminated). Errors: ERR_INVALID_ARGUMENT (not such a
 * URL), ERR_TIMEOUT (no status line in time), ERR_IO (cannot resolve or
 * connect, a reset, a malformed answer, or a status other than 200).
 * url and why are borrowed. Blocks up to timeout_ms after the name lookup,
 * which getaddrinfo() does not bound (instant for an address literal).
 */
MUST_CHECK enum err healthcheck_probe(const char *url, int timeout_ms, char *why, size_t why_size);

#endif
