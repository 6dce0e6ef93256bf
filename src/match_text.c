/*
 * match_text.c - the match module's text half: name and title
 * normalization, string similarity, and ISRC / barcode forms.
 *
 * Everything works on at most MATCH_MAX_TEXT_BYTES of input and on fixed
 * stack buffers, so any bytes are safe and the cost of one call is bounded.
 * It does not read documents or decide matches (match.c does) and it knows
 * no provider. The rules are listed in match.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "match_int.h"

/* UTF-8 ------------------------------------------------------------------- */

size_t match_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;

	*cp = UINT32_MAX;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 1;
	}
	if (len > n)
		return 1;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 1;
	*cp = v;
	return len;
}

/* Normalization ----------------------------------------------------------- */

struct out {
	char *p;
	size_t n;
};

static void put_byte(struct out *o, char c)
{
	if (o->n + 1 < MATCH_NORM_BYTES)
		o->p[o->n++] = c;
}

/* A space, unless at the start or after a space (runs collapse as they come). */
static void put_space(struct out *o)
{
	if (o->n && o->p[o->n - 1] != ' ')
		put_byte(o, ' ');
}

static void put_str(struct out *o, const char *s)
{
	while (*s)
		put_byte(o, *s++);
}

static void put_cp(struct out *o, uint32_t cp)
{
	if (o->n + 5 >= MATCH_NORM_BYTES)
		return;
	if (cp < 0x80) {
		o->p[o->n++] = (char)cp;
	} else if (cp < 0x800) {
		o->p[o->n++] = (char)(0xc0 | (cp >> 6));
		o->p[o->n++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		o->p[o->n++] = (char)(0xe0 | (cp >> 12));
		o->p[o->n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o->p[o->n++] = (char)(0x80 | (cp & 0x3f));
	} else {
		o->p[o->n++] = (char)(0xf0 | (cp >> 18));
		o->p[o->n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o->p[o->n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o->p[o->n++] = (char)(0x80 | (cp & 0x3f));
	}
}

/*
 * U+00C0..U+017F folded to ASCII, one letter per code point; capitals mark
 * two letters: A ae, I ij, O oe, S ss, T th; a space is a symbol (x, /).
 */
static const char latin_fold[] = "aaaaaaAceeeeiiii"  /* U+00C0 */
				 "dnooooo ouuuuyTS"  /* U+00D0 */
				 "aaaaaaAceeeeiiii"  /* U+00E0 */
				 "dnooooo ouuuuyTy"  /* U+00F0 */
				 "aaaaaaccccccccdd"  /* U+0100 */
				 "ddeeeeeeeeeegggg"  /* U+0110 */
				 "gggghhhhiiiiiiii"  /* U+0120 */
				 "iiIIjjkkklllllll"  /* U+0130 */
				 "lllnnnnnnnnnoooo"  /* U+0140 */
				 "ooOOrrrrrrssssss"  /* U+0150 */
				 "ssttttttuuuuuuuu"  /* U+0160 */
				 "uuuuwwyyyzzzzzzs"; /* U+0170 */

_Static_assert(sizeof(latin_fold) == 0x180 - 0xc0 + 1, "one letter per code point");

static void put_latin(struct out *o, uint32_t cp)
{
	char c = latin_fold[cp - 0xc0];

	switch (c) {
	case ' ':
		put_space(o);
		break;
	case 'A':
		put_str(o, "ae");
		break;
	case 'I':
		put_str(o, "ij");
		break;
	case 'O':
		put_str(o, "oe");
		break;
	case 'S':
		put_str(o, "ss");
		break;
	case 'T':
		put_str(o, "th");
		break;
	default:
		put_byte(o, c);
	}
}

static void put_ascii(struct out *o, unsigned char c)
{
	if (c >= 'A' && c <= 'Z') {
		put_byte(o, (char)(c + 32));
	} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
		put_byte(o, (char)c);
	} else if (c == '&' || c == '+') {
		put_space(o);
		put_str(o, "and");
		put_space(o);
	} else if (c == '$') {
		put_byte(o, 's');
	} else if (c != '\'' && c != '"' && c != '`') {
		put_space(o); /* punctuation, symbols, spaces, controls */
	}
}

/* U+00A0..U+00BF: a few are letters or digits, quotes go, the rest is space. */
static void put_latin1_symbol(struct out *o, uint32_t cp)
{
	switch (cp) {
	case 0xaa: /* feminine ordinal */
		put_byte(o, 'a');
		break;
	case 0xba: /* masculine ordinal */
		put_byte(o, 'o');
		break;
	case 0xb2:
		put_byte(o, '2');
		break;
	case 0xb3:
		put_byte(o, '3');
		break;
	case 0xb9:
		put_byte(o, '1');
		break;
	case 0xb5: /* micro sign: a letter */
		put_cp(o, 0x3bc);
		break;
	case 0xab: /* guillemets, soft hyphen, acute accent */
	case 0xbb:
	case 0xad:
	case 0xb4:
		break;
	default:
		put_space(o);
	}
}

/* Removed outright: quotes and apostrophes, zero-width and combining marks. */
static bool removed(uint32_t cp)
{
	return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
	       (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2018 && cp <= 0x201f) || (cp >= 0x2032 && cp <= 0x2037) || cp == 0x2039 ||
	       cp == 0x203a || (cp >= 0x2060 && cp <= 0x206f) || (cp >= 0xfe00 && cp <= 0xfe0f) ||
	       cp == 0xfeff || cp == 0x2b9 || cp == 0x2bb || cp == 0x2bc;
}

/* Spaces and punctuation outside ASCII and Latin-1. */
static bool spacing(uint32_t cp)
{
	return (cp >= 0x2000 && cp <= 0x206f) || cp == 0x2212 || cp == 0x3000 || cp == 0x3001 ||
	       cp == 0x3002 || cp == 0x30fb || (cp >= 0x2e00 && cp <= 0x2e7f);
}

/* Greek and Cyrillic capitals to small letters; Cyrillic yo to ie. */
static uint32_t lower_other(uint32_t cp)
{
	if (cp == 0x386)
		return 0x3ac;
	if (cp >= 0x388 && cp <= 0x38a)
		return cp + 37;
	if (cp == 0x38c)
		return 0x3cc;
	if (cp == 0x38e || cp == 0x38f)
		return cp + 63;
	if (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40f)
		cp += 80;
	else if (cp >= 0x410 && cp <= 0x42f)
		cp += 32;
	return cp == 0x451 ? 0x435 : cp;
}

static void put_char(struct out *o, uint32_t cp)
{
	if (cp >= 0xff01 && cp <= 0xff5e) /* fullwidth ASCII */
		cp -= 0xfee0;
	if (cp < 0x80)
		put_ascii(o, (unsigned char)cp);
	else if (cp < 0xa0)
		put_space(o); /* C1 controls */
	else if (cp < 0xc0)
		put_latin1_symbol(o, cp);
	else if (cp < 0x180)
		put_latin(o, cp);
	else if (cp == 0x218 || cp == 0x219)
		put_byte(o, 's');
	else if (cp == 0x21a || cp == 0x21b)
		put_byte(o, 't');
	else if (removed(cp))
		return;
	else if (spacing(cp))
		put_space(o);
	else
		put_cp(o, lower_other(cp));
}

/* The name rules without the article steps; out holds MATCH_NORM_BYTES. */
static size_t norm_core(const char *s, size_t n, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	struct out o = {out, 0};
	size_t i = 0;

	while (i < n) {
		uint32_t cp;

		i += match_utf8_next(u + i, n - i, &cp);
		if (cp != UINT32_MAX)
			put_char(&o, cp);
	}
	if (o.n && o.p[o.n - 1] == ' ')
		o.n--;
	o.p[o.n] = '\0';
	return o.n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static size_t trim_right(const char *s, size_t n)
{
	while (n && is_space(s[n - 1]))
		n--;
	return n;
}

/* Length of s[0..n) without a sort name's trailing ", The". */
static size_t cut_sort_article(const char *s, size_t n)
{
	size_t k = trim_right(s, n);

	if (k < 4 || strncasecmp(s + k - 3, "the", 3) != 0)
		return n;
	k = trim_right(s, k - 3);
	if (k < 2 || s[k - 1] != ',')
		return n;
	k = trim_right(s, k - 1);
	return k ? k : n;
}

/* Decorations --------------------------------------------------------------- */

static const char *const credit_words[] = {"feat", "featuring", "ft", "with", "prod"};
static const char *const version_words[] = {"live",	"deluxe", "edition", "anniversary",
					    "expanded", "bonus",  "mono",    "stereo"};
static const char *const version_phrases[] = {"single version", "album version", "radio version",
					      "radio edit", "single edit"};
static const char *const whole_words[] = {"explicit", "clean"};

/* True if the normalized s holds the words of phrase, on word boundaries. */
static bool has_phrase(const char *s, const char *phrase)
{
	size_t n = strlen(phrase);

	for (const char *p = strstr(s, phrase); p; p = strstr(p + 1, phrase))
		if ((p == s || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

static bool in_list(const char *w, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && memcmp(w, list[i], n) == 0)
			return true;
	return false;
}

/* True if s[0..n), the inside of a trailing group, is a version decoration. */
static bool is_decoration(const char *s, size_t n)
{
	char norm[MATCH_NORM_BYTES];
	size_t len = norm_core(s, n, norm);
	const char *w = norm;

	if (!len)
		return false;
	if (in_list(norm, len, whole_words, ARRAY_SIZE(whole_words)))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(version_phrases); i++)
		if (has_phrase(norm, version_phrases[i]))
			return true;
	for (bool first = true; *w; first = false) {
		size_t k = strcspn(w, " ");

		if (first && in_list(w, k, credit_words, ARRAY_SIZE(credit_words)))
			return true;
		if (in_list(w, k, version_words, ARRAY_SIZE(version_words)) ||
		    (k >= 8 && memcmp(w, "remaster", 8) == 0))
			return true;
		w += k + (w[k] == ' ');
	}
	return false;
}

/* Where a trailing bracketed decoration of s[0..n) starts, or 0. */
static size_t bracket_start(const char *s, size_t n)
{
	char close = s[n - 1], open;
	int depth = 0;

	if (close != ')' && close != ']' && close != '}')
		return 0;
	open = close == ')' ? '(' : close == ']' ? '[' : '{';
	for (size_t i = n; i-- > 0;) {
		if (s[i] == close) {
			depth++;
		} else if (s[i] == open && --depth == 0) {
			if (!trim_right(s, i) || !is_decoration(s + i + 1, n - i - 2))
				return 0;
			return i;
		}
	}
	return 0;
}

/* Where a trailing " - decoration" of s[0..n) starts (hyphen, en or em dash), or 0. */
static size_t dash_start(const char *s, size_t n)
{
	static const char *const seps[] = {" - ", " \xe2\x80\x93 ", " \xe2\x80\x94 "};
	size_t best = 0, best_len = 0;

	for (size_t i = 0; i < ARRAY_SIZE(seps); i++) {
		size_t k = strlen(seps[i]);

		for (size_t p = n >= k ? n - k + 1 : 0; p-- > 0;) {
			if (memcmp(s + p, seps[i], k) == 0) {
				if (p > best)
					best = p, best_len = k;
				break;
			}
		}
	}
	if (!best || !trim_right(s, best) ||
	    !is_decoration(s + best + best_len, n - best - best_len))
		return 0;
	return best;
}

/* Length of s[0..n) without its trailing version decorations. */
static size_t cut_decorations(const char *s, size_t n)
{
	for (int round = 0; round < 8; round++) {
		size_t cut;

		n = trim_right(s, n);
		if (!n)
			break;
		cut = bracket_start(s, n);
		if (!cut)
			cut = dash_start(s, n);
		if (!cut)
			break;
		n = cut;
	}
	return trim_right(s, n);
}

size_t match_norm(const char *s, bool title, char *out)
{
	size_t n, len;

	if (!s) {
		out[0] = '\0';
		return 0;
	}
	n = strnlen(s, MATCH_MAX_TEXT_BYTES);
	if (title)
		n = cut_decorations(s, n);
	n = cut_sort_article(s, n);
	len = norm_core(s, n, out);
	if (len > 4 && memcmp(out, "the ", 4) == 0) {
		memmove(out, out + 4, len - 4 + 1);
		len -= 4;
	}
	return len;
}

static enum err normalize(const char *s, bool title, struct buf *out)
{
	char norm[MATCH_NORM_BYTES];
	size_t len = match_norm(s, title, norm);

	buf_add(out, norm, len);
	return buf_failed(out) ? ERR_TOO_LARGE : ERR_OK;
}

enum err match_normalize_name(const char *s, struct buf *out)
{
	return normalize(s, false, out);
}

enum err match_normalize_title(const char *s, struct buf *out)
{
	return normalize(s, true, out);
}

static const char *const generic_titles[] = {
	"intro",	 "outro",    "interlude", "untitled",	  "hidden track", "bonus track",
	"skit",		 "prelude",  "reprise",	  "live",	  "demo",	  "instrumental",
	"medley",	 "overture", "finale",	  "introduction", "encore",	  "silence",
	"greatest hits", "best of",  "hits",	  "unknown",	  "jam",	  "theme",
};

bool match_generic_title(const char *norm)
{
	size_t n = strlen(norm);

	if (n < 3 || strspn(norm, "0123456789 ") == n)
		return true;
	return in_list(norm, n, generic_titles, ARRAY_SIZE(generic_titles));
}

/* Similarity ---------------------------------------------------------------- */

struct cps {
	uint32_t c[MATCH_MAX_TEXT_BYTES];
	size_t n;
	bool spaces; /* holds a space: the other views may differ */
};

struct word {
	const uint32_t *p;
	size_t n;
};

static void decode(const char *s, struct cps *out)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t n = strnlen((const char *)u, MATCH_MAX_TEXT_BYTES), i = 0;

	out->n = 0;
	out->spaces = false;
	while (i < n) {
		uint32_t cp;

		i += match_utf8_next(u + i, n - i, &cp);
		if (cp != UINT32_MAX)
			out->c[out->n++] = cp;
		out->spaces |= cp == ' ';
	}
}

/* 1 - Levenshtein distance / the longer length; two empty strings are equal. */
static double lev_ratio(const struct cps *a, const struct cps *b)
{
	uint16_t row[MATCH_MAX_TEXT_BYTES + 1];
	size_t longer = a->n > b->n ? a->n : b->n;

	if (!longer)
		return 1.0;
	if (!a->n || !b->n)
		return 0.0;
	for (size_t j = 0; j <= b->n; j++)
		row[j] = (uint16_t)j;
	for (size_t i = 1; i <= a->n; i++) {
		uint16_t diag = row[0];

		row[0] = (uint16_t)i;
		for (size_t j = 1; j <= b->n; j++) {
			uint16_t up = row[j];
			uint16_t best = (uint16_t)(diag + (a->c[i - 1] != b->c[j - 1]));

			if (up + 1 < best)
				best = (uint16_t)(up + 1);
			if (row[j - 1] + 1 < best)
				best = (uint16_t)(row[j - 1] + 1);
			row[j] = best;
			diag = up;
		}
	}
	return 1.0 - (double)row[b->n] / (double)longer;
}

/* The best lev_ratio() two strings of these lengths could reach. */
static double lev_bound(size_t na, size_t nb)
{
	size_t longer = na > nb ? na : nb, diff = na > nb ? na - nb : nb - na;

	return longer ? 1.0 - (double)diff / (double)longer : 1.0;
}

static int word_cmp(const void *x, const void *y)
{
	const struct word *a = x, *b = y;
	size_t n = a->n < b->n ? a->n : b->n;

	for (size_t i = 0; i < n; i++)
		if (a->p[i] != b->p[i])
			return a->p[i] < b->p[i] ? -1 : 1;
	return a->n < b->n ? -1 : a->n > b->n;
}

/* The words of in (split on spaces) sorted and joined by one space. */
static void sort_words(const struct cps *in, struct cps *out)
{
	struct word w[MATCH_MAX_TEXT_BYTES / 2 + 1];
	size_t nw = 0, i = 0;

	while (i < in->n) {
		size_t start;

		while (i < in->n && in->c[i] == ' ')
			i++;
		start = i;
		while (i < in->n && in->c[i] != ' ')
			i++;
		if (i > start)
			w[nw++] = (struct word){in->c + start, i - start};
	}
	if (nw > 1)
		qsort(w, nw, sizeof(w[0]), word_cmp);
	out->n = 0;
	for (size_t k = 0; k < nw; k++) {
		if (k)
			out->c[out->n++] = ' ';
		memcpy(out->c + out->n, w[k].p, w[k].n * sizeof(uint32_t));
		out->n += w[k].n;
	}
}

static void drop_spaces(const struct cps *in, struct cps *out)
{
	out->n = 0;
	for (size_t i = 0; i < in->n; i++)
		if (in->c[i] != ' ')
			out->c[out->n++] = in->c[i];
}

double match_similarity(const char *a, const char *b)
{
	struct cps x, y, x2, y2;
	double best;

	if (strncmp(a ? a : "", b ? b : "", MATCH_MAX_TEXT_BYTES) == 0)
		return 1.0;
	decode(a, &x);
	decode(b, &y);
	best = lev_ratio(&x, &y);
	if (!x.spaces && !y.spaces)
		return best; /* the other views are the same strings */
	if (best < 1.0) {
		sort_words(&x, &x2);
		sort_words(&y, &y2);
		if (lev_bound(x2.n, y2.n) > best) {
			double s = lev_ratio(&x2, &y2);

			best = s > best ? s : best;
		}
	}
	if (best < 1.0) {
		drop_spaces(&x, &x2);
		drop_spaces(&y, &y2);
		if (lev_bound(x2.n, y2.n) > best) {
			double s = lev_ratio(&x2, &y2);

			best = s > best ? s : best;
		}
	}
	return best;
}

/* Codes --------------------------------------------------------------------- */

/* Longest code text read (separators included). */
#define CODE_MAX_BYTES 64

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The 12 characters of an ISRC in uppercase, without separators. */
static bool isrc_chars(const char *s, char c[13])
{
	size_t n = 0;

	if (!s || strnlen(s, CODE_MAX_BYTES + 1) > CODE_MAX_BYTES)
		return false;
	for (; *s; s++) {
		if (*s == '-' || *s == ' ')
			continue;
		if (n == 12 || !(is_digit(*s) || is_alpha(*s)))
			return false;
		c[n++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
	}
	c[n] = '\0';
	if (n != 12 || !is_alpha(c[0]) || !is_alpha(c[1]))
		return false;
	for (size_t i = 5; i < 12; i++)
		if (!is_digit(c[i]))
			return false;
	return true;
}

bool match_isrc_key(const char *s, uint64_t *out)
{
	char c[13];
	uint64_t v = 0;

	if (!isrc_chars(s, c))
		return false;
	for (size_t i = 0; i < 12; i++)
		v = v * 36 + (uint64_t)(is_digit(c[i]) ? c[i] - '0' : c[i] - 'A' + 10);
	*out = v;
	return true;
}

bool match_upc_key(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t digits = 0;

	if (!s || strnlen(s, CODE_MAX_BYTES + 1) > CODE_MAX_BYTES)
		return false;
	for (; *s; s++) {
		if (*s == '-' || *s == ' ')
			continue;
		if (!is_digit(*s) || ++digits > 14)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (digits < 8 || !v)
		return false;
	*out = v;
	return true;
}

enum err match_normalize_isrc(const char *s, char out[13])
{
	if (!isrc_chars(s, out)) {
		out[0] = '\0';
		return ERR_INVALID_ARGUMENT;
	}
	return ERR_OK;
}

enum err match_normalize_upc(const char *s, char out[15])
{
	uint64_t v;

	out[0] = '\0';
	if (!match_upc_key(s, &v))
		return ERR_INVALID_ARGUMENT;
	snprintf(out, 15, "%012llu", (unsigned long long)v);
	return ERR_OK;
}
