#!/bin/sh
# lint.sh - medley's house rules that the compiler does not check.
#
#  - banned functions: sprintf, vsprintf, strcpy, strcat, atoi, atol, gets
#  - each third-party header only in its module:
#      <microhttpd.h> src/http.c, <libpq-fe.h> src/db.c,
#      <curl/curl.h> src/fetch*.c, <cyaml/cyaml.h> src/config*.c
#  - no SQL built from strings: no printf-family call whose format holds
#    SQL keywords, in any source file
#  - every .c file opens with a comment saying what it is for
set -u
cd "$(dirname "$0")/.."
status=0
fail() {
	echo "lint: $*" >&2
	status=1
}

files=$(find src test/unit test/fuzz test/tools -name '*.c' 2>/dev/null | sort)
headers=$(find include -name '*.h' | sort)

# Banned calls (word boundary, followed by an opening parenthesis).
for f in $files $headers; do
	grep -nE '(^|[^A-Za-z0-9_.>])(sprintf|vsprintf|strcpy|strcat|atoi|atol|gets)[[:space:]]*\(' "$f" |
		grep -vE '(snprintf|vsnprintf)' |
		while IFS= read -r line; do
			echo "lint: $f:$line: banned function (use snprintf, buf, strtol)" >&2
			echo x
		done | grep -q x && status=1
done

# Third-party headers only in their module.
check_header() {
	hdr=$1
	allowed=$2
	for f in $files $headers; do
		case "$f" in $allowed) continue ;; esac
		if grep -qE "#[[:space:]]*include[[:space:]]*<$hdr>" "$f"; then
			fail "$f: includes <$hdr>, which belongs to $allowed only"
		fi
	done
}
check_header 'microhttpd\.h' 'src/http.c'
check_header 'libpq-fe\.h' 'src/db.c'
check_header 'curl/curl\.h' 'src/fetch*.c'
check_header 'cyaml/cyaml\.h' 'src/config*.c'

# SQL built from strings: a printf-family format mentioning SQL verbs.
for f in $files; do
	if grep -nE '(snprintf|buf_addf|printf)[[:space:]]*\([^;]*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE FROM|CREATE TABLE|DROP|ALTER TABLE)\b' "$f" >/dev/null; then
		fail "$f: SQL built with a printf-style call; use a named, parameterized db_stmt"
	fi
done

# Purpose paragraph at the top of every .c file.
for f in $files; do
	head -n 1 "$f" | grep -q '^/\*' || fail "$f: must open with a comment saying what the file is for"
done

[ $status -eq 0 ] && echo "lint: ok ($(echo "$files" | wc -w) sources, $(echo "$headers" | wc -w) headers)"
exit $status
