/*
 * spotify_auth.c - Spotify's client credentials token (request and answer)
 * and its error bodies.
 *
 * Builds the Basic authorization value and the form body the fetch engine
 * POSTs to the accounts service, reads the token it answers, and reads the
 * two error shapes Spotify uses: the accounts service's OAuth error
 * {"error": "invalid_client", "error_description": ...} and the Web API's
 * {"error": {"status": 404, "message": ...}}. Base64 (RFC 4648) is here
 * because nothing else in medley needs it. It keeps no token and does no
 * I/O; the fetch engine owns the token's lifetime.
 */
#include <assert.h>
#include <string.h>
#include <strings.h>

#include "medley/json.h"
#include "spotify_int.h"

#define FORM_BODY "grant_type=client_credentials"

/* Append the base64 encoding of s[0..n) (standard alphabet, padded). */
static void add_base64(struct buf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		buf_addch(b, tab[(v >> 18) & 63]);
		buf_addch(b, tab[(v >> 12) & 63]);
		buf_addch(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
		buf_addch(b, i + 2 < n ? tab[v & 63] : '=');
	}
}

/* Non-empty, not over-long, no control character, and (for the id) no ':'. */
static bool credential_ok(const char *s, bool is_id)
{
	size_t n;

	if (!s)
		return false;
	n = strnlen(s, SPOTIFY_MAX_CREDENTIAL_BYTES + 1);
	if (n == 0 || n > SPOTIFY_MAX_CREDENTIAL_BYTES)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || (is_id && s[i] == ':'))
			return false;
	return true;
}

enum err spotify_token_request(const char *client_id, const char *client_secret,
			       struct buf *auth_header, struct buf *form_body)
{
	/* id ':' secret; on the stack so that it can be wiped */
	unsigned char pair[2 * SPOTIFY_MAX_CREDENTIAL_BYTES + 1];
	size_t id_len, secret_len;

	assert(auth_header && form_body);
	if (!credential_ok(client_id, true) || !credential_ok(client_secret, false))
		return ERR_INVALID_ARGUMENT;
	id_len = strlen(client_id);
	secret_len = strlen(client_secret);
	memcpy(pair, client_id, id_len);
	pair[id_len] = ':';
	memcpy(pair + id_len + 1, client_secret, secret_len);
	buf_adds(auth_header, "Basic ");
	add_base64(auth_header, pair, id_len + 1 + secret_len);
	explicit_bzero(pair, sizeof(pair));
	buf_adds(form_body, FORM_BODY);
	return buf_failed(auth_header) || buf_failed(form_body) ? ERR_TOO_LARGE : ERR_OK;
}

/* The reason for an OAuth error code (RFC 6749 section 5.2). */
static const char *token_error_why(const cJSON *root)
{
	static const struct {
		const char *code, *why;
	} reasons[] = {
		{"invalid_client", "token refused: invalid_client (wrong client id or secret)"},
		{"invalid_request", "token refused: invalid_request"},
		{"invalid_grant", "token refused: invalid_grant"},
		{"unauthorized_client", "token refused: unauthorized_client"},
		{"unsupported_grant_type", "token refused: unsupported_grant_type"},
		{"invalid_scope", "token refused: invalid_scope"},
	};
	const char *code = json_get_string(root, "error");

	for (size_t i = 0; code && i < ARRAY_SIZE(reasons); i++)
		if (strcmp(code, reasons[i].code) == 0)
			return reasons[i].why;
	return "token refused";
}

/* Printable ASCII without spaces: what a Bearer token may hold (RFC 6750 b64token and more). */
static bool token_chars_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* Check the token answer root; on success returns the token (borrowed from root). */
static enum err read_token(const cJSON *root, const char **token, const char **why)
{
	const char *s = json_get_string(root, "access_token");
	const char *type = json_get_string(root, "token_type");

	if (!cJSON_IsObject(root)) {
		*why = "body is not a JSON object";
		return ERR_INVALID_ARGUMENT;
	}
	if (json_get(root, "error")) {
		*why = token_error_why(root);
		return ERR_INVALID_ARGUMENT;
	}
	if (!s || !s[0] || !token_chars_ok(s)) {
		*why = "missing or unusable access_token";
		return ERR_INVALID_ARGUMENT;
	}
	if (type && strcasecmp(type, "Bearer") != 0) {
		*why = "token_type is not Bearer";
		return ERR_INVALID_ARGUMENT;
	}
	*token = s;
	return ERR_OK;
}

enum err spotify_parse_token(const char *body, size_t len, char *token, size_t size,
			     long *expires_in_s, const char **why)
{
	cJSON *root = NULL;
	const char *s = NULL;
	long long ttl;
	enum err e;

	if (size)
		token[0] = '\0';
	*expires_in_s = 0;
	e = json_parse(body, len, SPOTIFY_MAX_BODY_BYTES, &root, why);
	if (e != ERR_OK)
		goto out;
	e = read_token(root, &s, why);
	if (e != ERR_OK)
		goto out;
	if (strlen(s) >= size) {
		*why = "access_token does not fit";
		e = ERR_TOO_LARGE;
		goto out;
	}
	memcpy(token, s, strlen(s) + 1);
	if (json_get_int(root, "expires_in", 1, SPOTIFY_TOKEN_MAX_TTL_S, &ttl))
		*expires_in_s = (long)ttl;
	else
		*expires_in_s = SPOTIFY_TOKEN_DEFAULT_TTL_S;
out:
	cJSON_Delete(root);
	return e;
}

/* Error bodies -------------------------------------------------------------- */

/* The API's {"error": {"status": n}} status, or 0 when root is not that shape. */
static long api_error_status(const cJSON *root)
{
	long long status;

	if (json_get_int(json_get_object(root, "error"), "status", 100, 599, &status))
		return (long)status;
	return 0;
}

/* The reason a parser gives for the API's error body with this status. */
static enum err api_error(long status, const char **why)
{
	switch (status) {
	case 404:
		*why = "spotify answered 404: no such entity";
		return ERR_NOT_FOUND;
	case 400:
		*why = "spotify answered 400: bad request (invalid id or parameter)";
		break;
	case 401:
		*why = "spotify answered 401: access token expired or refused";
		break;
	case 429:
		*why = "spotify answered 429: rate limited";
		break;
	default:
		*why = "spotify answered an error";
		break;
	}
	return ERR_INVALID_ARGUMENT;
}

enum err spotify_parse_object(const char *body, size_t len, cJSON **out, const char **why)
{
	cJSON *root = NULL;
	const cJSON *error;
	enum err e;

	*out = NULL;
	e = json_parse(body, len, SPOTIFY_MAX_BODY_BYTES, &root, why);
	if (e != ERR_OK)
		return e;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		*why = "body is not a JSON object";
		return ERR_INVALID_ARGUMENT;
	}
	error = json_get(root, "error");
	if (cJSON_IsObject(error) || cJSON_IsString(error)) {
		e = api_error(api_error_status(root), why);
		cJSON_Delete(root);
		return e;
	}
	*out = root;
	return ERR_OK;
}

bool spotify_token_expired(const char *body, size_t len)
{
	cJSON *root = NULL;
	const char *why;
	bool expired;

	if (json_parse(body, len, SPOTIFY_MAX_BODY_BYTES, &root, &why) != ERR_OK)
		return false;
	expired = api_error_status(root) == 401;
	cJSON_Delete(root);
	return expired;
}

/* Copy s into msg (size > 0 bytes) as valid UTF-8, controls as spaces, cut on a boundary. */
static void copy_message(char *msg, size_t size, const char *s)
{
	cJSON *clean = json_new_string(s);
	const char *c = clean->valuestring;
	size_t n = strlen(c);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)c[n] & 0xc0) == 0x80)
			n--; /* c[n] would start the cut-off part: keep its sequence whole */
	}
	for (size_t i = 0; i < n; i++)
		msg[i] = ((unsigned char)c[i] < 0x20 || c[i] == 0x7f) ? ' ' : c[i];
	msg[n] = '\0';
	cJSON_Delete(clean);
}

enum err spotify_parse_error(const char *body, size_t len, long *status, char *msg, size_t size)
{
	cJSON *root = NULL;
	const cJSON *error;
	const char *why, *text = NULL;
	enum err e = ERR_INVALID_ARGUMENT;

	*status = 0;
	if (size)
		msg[0] = '\0';
	if (json_parse(body, len, SPOTIFY_MAX_BODY_BYTES, &root, &why) != ERR_OK)
		return ERR_INVALID_ARGUMENT;
	error = json_get(root, "error");
	if (cJSON_IsObject(error)) {
		*status = api_error_status(root);
		text = json_get_string(error, "message");
		e = ERR_OK;
	} else if (cJSON_IsString(error)) {
		text = json_get_string(root, "error_description");
		if (!text)
			text = error->valuestring;
		e = ERR_OK;
	}
	if (text && size)
		copy_message(msg, size, text);
	cJSON_Delete(root);
	return e;
}
