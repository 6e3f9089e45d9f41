/*
 * parse.c: pure, size-capped HTTP input parsers (see parse.h).
 *
 * References: RFC 3986 (percent-encoding), RFC 3629 (UTF-8), RFC 6265
 * (Cookie), RFC 9110 (media types, quoted-string), RFC 2046 and RFC 7578
 * (multipart/form-data), WHATWG URL (application/x-www-form-urlencoded).
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "parse.h"
#include "utf8.h"
#include "util.h"

/* RFC 9110 tchar. */
static int
is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned char
lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Case-insensitive (ASCII) comparison of s[0..n) with NUL-terminated t. */
static int
ieq(const char *s, size_t n, const char *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i] == '\0' || lower(s[i]) != lower(t[i]))
			return 0;
	return t[n] == '\0';
}

/*
 * Finds pat[0..plen) in s[0..n).  Linear when pat[0] occurs nowhere else
 * in pat (true for "\r\n--boundary", whose bchars exclude CR): a partial
 * match never spans another candidate start.  The other patterns used
 * here are at most four bytes long.
 */
static const char *
find(const char *s, size_t n, const char *pat, size_t plen)
{
	const char *p, *end = s + n;

	while (s < end && (size_t)(end - s) >= plen) {
		p = memchr(s, pat[0], (size_t)(end - s) - plen + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, pat, plen) == 0)
			return p;
		s = p + 1;
	}
	return NULL;
}

long
url_decode(const char *in, size_t len, char *out, int plus_space)
{
	size_t i, o = 0;
	int h, l;

	if (len > LONG_MAX)
		return -1;
	for (i = 0; i < len; i++) {
		if (in[i] == '%') {
			if (len - i < 3 ||
			    (h = hexval((unsigned char)in[i + 1])) < 0 ||
			    (l = hexval((unsigned char)in[i + 2])) < 0) {
				out[o] = '\0';
				return -1;
			}
			out[o++] = (char)(h << 4 | l);
			i += 2;
		} else if (in[i] == '+' && plus_space)
			out[o++] = ' ';
		else
			out[o++] = in[i];
	}
	out[o] = '\0';
	if (memchr(out, '\0', o) != NULL || !utf8_valid(out, o))
		return -1;
	return (long)o;
}

void
params_add(struct arena *a, struct params *p, const char *key,
    const char *val, size_t vlen)
{
	struct param *nv;
	size_t ncap;

	if (p->n == p->cap) {
		ncap = p->cap ? p->cap * 2 : 16;
		if (ncap > SIZE_MAX / sizeof(*nv))
			ncap = SIZE_MAX / sizeof(*nv);	/* arena aborts */
		nv = arena_alloc(a, ncap * sizeof(*nv));
		if (p->n > 0)
			memcpy(nv, p->v, p->n * sizeof(*nv));
		p->v = nv;
		p->cap = ncap;
	}
	p->v[p->n].key = arena_strdup(a, key);
	p->v[p->n].val = arena_strndup(a, val, vlen);
	p->v[p->n].vlen = vlen;
	p->n++;
}

const char *
params_nth(const struct params *p, const char *key, size_t i)
{
	size_t k;

	if (p == NULL || key == NULL)
		return NULL;
	for (k = 0; k < p->n; k++)
		if (strcmp(p->v[k].key, key) == 0 && i-- == 0)
			return p->v[k].val;
	return NULL;
}

const char *
params_get(const struct params *p, const char *key)
{
	return params_nth(p, key, 0);
}

size_t
params_count(const struct params *p, const char *key)
{
	size_t k, c = 0;

	if (p == NULL || key == NULL)
		return 0;
	for (k = 0; k < p->n; k++)
		if (strcmp(p->v[k].key, key) == 0)
			c++;
	return c;
}

int
parse_urlencoded(struct arena *a, const char *s, size_t len,
    struct params *out)
{
	size_t start = out->n, added = 0, plen, klen;
	const char *end, *piece, *amp, *eq;
	char *key, *val;
	long kn, vn;

	if (len > PARSE_MAX_URLENCODED)
		return PARSE_TOO_LARGE;
	if (len == 0)
		return PARSE_OK;
	end = s + len;
	for (piece = s; piece < end; piece = amp + 1) {
		amp = memchr(piece, '&', (size_t)(end - piece));
		if (amp == NULL)
			amp = end;
		plen = (size_t)(amp - piece);
		if (plen == 0)
			continue;
		eq = memchr(piece, '=', plen);
		klen = eq ? (size_t)(eq - piece) : plen;
		if (klen == 0)
			continue;
		if (++added > PARSE_MAX_PARAMS) {
			out->n = start;
			return PARSE_TOO_MANY;
		}
		key = arena_alloc(a, klen + 1);
		kn = url_decode(piece, klen, key, 1);
		if (eq != NULL) {
			val = arena_alloc(a, plen - klen);
			vn = url_decode(eq + 1, plen - klen - 1, val, 1);
		} else {
			val = arena_alloc(a, 1);
			vn = 0;
		}
		if (kn < 0 || vn < 0) {
			out->n = start;
			return PARSE_MALFORMED;
		}
		params_add(a, out, key, val, (size_t)vn);
	}
	return PARSE_OK;
}

/* RFC 6265 cookie-octet. */
static int
is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
	    (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	    (c >= 0x5d && c <= 0x7e);
}

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

int
parse_cookies(struct arena *a, const char *header, struct params *out)
{
	const char *p, *end, *semi, *eq, *n0, *n1, *v0, *v1, *q;
	size_t start = out->n, added = 0, len;
	char *name;
	int ok;

	if (header == NULL)
		return PARSE_OK;
	len = strlen(header);
	if (len > PARSE_MAX_HEADER)
		return PARSE_TOO_LARGE;
	end = header + len;
	for (p = header; p < end; p = semi + 1) {
		semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			semi = end;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq == NULL)
			continue;
		for (n0 = p; n0 < eq && is_ows(*n0); n0++)
			continue;
		for (n1 = eq; n1 > n0 && is_ows(n1[-1]); n1--)
			continue;
		for (v0 = eq + 1; v0 < semi && is_ows(*v0); v0++)
			continue;
		for (v1 = semi; v1 > v0 && is_ows(v1[-1]); v1--)
			continue;
		if (n0 == n1)
			continue;
		ok = 1;
		for (q = n0; q < n1 && ok; q++)
			ok = is_tchar((unsigned char)*q);
		if (v1 - v0 >= 2 && *v0 == '"' && v1[-1] == '"') {
			v0++;
			v1--;
		}
		for (q = v0; q < v1 && ok; q++)
			ok = is_cookie_octet((unsigned char)*q);
		if (!ok)
			continue;
		if (++added > PARSE_MAX_PARAMS) {
			out->n = start;
			return PARSE_TOO_MANY;
		}
		name = arena_strndup(a, n0, (size_t)(n1 - n0));
		params_add(a, out, name, v0, (size_t)(v1 - v0));
	}
	return PARSE_OK;
}

/*
 * Parses a quoted-string starting at *pp (on the opening quote) before
 * end.  Inside, a backslash escapes only '"' and '\\'; before anything
 * else it is kept, so an unescaped Windows path ("C:\dir\a.txt", as old
 * browsers sent in filename) survives intact.  Control bytes other than
 * HTAB are refused.  On success *pp is past the closing quote.
 */
static char *
quoted_string(struct arena *a, const char **pp, const char *end)
{
	const char *p = *pp + 1;
	char *o, *v;

	v = o = arena_alloc(a, (size_t)(end - *pp));
	for (; p < end; p++) {
		if (*p == '"') {
			*o = '\0';
			*pp = p + 1;
			return v;
		}
		if (*p == '\\' && end - p >= 2 &&
		    (p[1] == '"' || p[1] == '\\'))
			p++;
		else if ((unsigned char)*p < 0x20 && *p != '\t')
			return NULL;
		else if (*p == 0x7f)
			return NULL;
		*o++ = *p;
	}
	return NULL;	/* unterminated */
}

/*
 * Parses header parameters (*( OWS ";" OWS [ name "=" value ] ), RFC
 * 9110) in p[0..end), appending them to out with lowercased names.
 * A repeated name is malformed: picking one would be guessing.
 */
static int
header_params(struct arena *a, const char *p, const char *end,
    struct params *out)
{
	const char *n0, *v0;
	char *name, *val;
	size_t start = out->n, added = 0, i;

	for (;;) {
		while (p < end && is_ows(*p))
			p++;
		if (p == end)
			return PARSE_OK;
		if (*p++ != ';')
			goto bad;
		while (p < end && is_ows(*p))
			p++;
		if (p == end || *p == ';')
			continue;
		for (n0 = p; p < end && is_tchar((unsigned char)*p); p++)
			continue;
		if (p == n0)
			goto bad;
		name = arena_strndup(a, n0, (size_t)(p - n0));
		for (i = 0; name[i] != '\0'; i++)
			name[i] = (char)lower((unsigned char)name[i]);
		while (p < end && is_ows(*p))
			p++;
		if (p == end || *p++ != '=')
			goto bad;
		while (p < end && is_ows(*p))
			p++;
		if (p < end && *p == '"') {
			if ((val = quoted_string(a, &p, end)) == NULL)
				goto bad;
		} else {
			for (v0 = p; p < end && is_tchar((unsigned char)*p);
			    p++)
				continue;
			if (p == v0)
				goto bad;
			val = arena_strndup(a, v0, (size_t)(p - v0));
		}
		for (i = start; i < out->n; i++)
			if (strcmp(out->v[i].key, name) == 0)
				goto bad;
		if (++added > PARSE_MAX_HPARAMS) {
			out->n = start;
			return PARSE_TOO_MANY;
		}
		params_add(a, out, name, val, strlen(val));
	}
bad:
	out->n = start;
	return PARSE_MALFORMED;
}

/* Media type over s[0..len), see parse_media_type. */
static int
media_type(struct arena *a, const char *s, size_t len, const char **type,
    struct params *params)
{
	const char *p = s, *end = s + len, *t0, *slash;
	struct params tmp = { NULL, 0, 0 };
	char *t;
	size_t i;
	int rc;

	*type = NULL;
	if (len > PARSE_MAX_HEADER)
		return PARSE_TOO_LARGE;
	while (p < end && is_ows(*p))
		p++;
	for (t0 = p; p < end && is_tchar((unsigned char)*p); p++)
		continue;
	if (p == t0 || p == end || *p != '/')
		return PARSE_MALFORMED;
	slash = p++;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (p == slash + 1)
		return PARSE_MALFORMED;
	rc = header_params(a, p, end, params ? params : &tmp);
	if (rc != PARSE_OK)
		return rc;
	t = arena_strndup(a, t0, (size_t)(p - t0));
	for (i = 0; t[i] != '\0'; i++)
		t[i] = (char)lower((unsigned char)t[i]);
	*type = t;
	return PARSE_OK;
}

int
parse_media_type(struct arena *a, const char *header, const char **type,
    struct params *params)
{
	*type = NULL;
	if (header == NULL)
		return PARSE_MALFORMED;
	return media_type(a, header, strlen(header), type, params);
}

const char *
parse_header_param(struct arena *a, const char *header, const char *name)
{
	struct params p = { NULL, 0, 0 };
	const char *type;

	if (parse_media_type(a, header, &type, &p) != PARSE_OK)
		return NULL;
	return params_get(&p, name);
}

/* RFC 2046 bchars; space is allowed but not as the last character. */
static int
boundary_valid(const char *b)
{
	size_t n = strlen(b), i;

	if (n == 0 || n > PARSE_MAX_BOUNDARY || b[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++) {
		if ((b[i] >= 'a' && b[i] <= 'z') ||
		    (b[i] >= 'A' && b[i] <= 'Z') ||
		    (b[i] >= '0' && b[i] <= '9'))
			continue;
		if (strchr("'()+_,-./:=? ", b[i]) == NULL)
			return 0;
	}
	return 1;
}

/* What a part's headers told us. */
struct part {
	const char	*name;
	const char	*filename;	/* NULL: no filename parameter */
	const char	*ctype;		/* NULL: no Content-Type */
};

static int
part_disposition(struct arena *a, const char *v, size_t len,
    struct part *pt)
{
	const char *p = v, *end = v + len, *t0;
	struct params dp = { NULL, 0, 0 };
	int rc;

	for (t0 = p; p < end && is_tchar((unsigned char)*p); p++)
		continue;
	if (!ieq(t0, (size_t)(p - t0), "form-data"))
		return PARSE_MALFORMED;
	if ((rc = header_params(a, p, end, &dp)) != PARSE_OK)
		return rc;
	pt->name = params_get(&dp, "name");
	pt->filename = params_get(&dp, "filename");
	if (pt->name == NULL || pt->name[0] == '\0' ||
	    !utf8_valid(pt->name, strlen(pt->name)))
		return PARSE_MALFORMED;
	if (pt->filename != NULL &&
	    !utf8_valid(pt->filename, strlen(pt->filename)))
		return PARSE_MALFORMED;
	return PARSE_OK;
}

/*
 * Parses one part's header block h[0..len), every line ending in CRLF.
 * Unknown headers are ignored; folded lines, bare CR or LF, NUL bytes and
 * repeated Content-Disposition or Content-Type are malformed.
 */
static int
part_headers(struct arena *a, const char *h, size_t len, struct part *pt)
{
	const char *end = h + len, *eol, *colon, *v0, *v1;
	int have_cd = 0, rc;
	size_t nlen;

	memset(pt, 0, sizeof(*pt));
	if (memchr(h, '\0', len) != NULL)
		return PARSE_MALFORMED;
	while (h < end) {
		eol = find(h, (size_t)(end - h), "\r\n", 2);
		if (eol == NULL)
			return PARSE_MALFORMED;
		if (memchr(h, '\r', (size_t)(eol - h)) != NULL ||
		    memchr(h, '\n', (size_t)(eol - h)) != NULL)
			return PARSE_MALFORMED;
		/* A folded line starts with SP or HT: not a tchar. */
		colon = memchr(h, ':', (size_t)(eol - h));
		if (colon == NULL || colon == h)
			return PARSE_MALFORMED;
		for (v0 = h; v0 < colon; v0++)
			if (!is_tchar((unsigned char)*v0))
				return PARSE_MALFORMED;
		nlen = (size_t)(colon - h);
		for (v0 = colon + 1; v0 < eol && is_ows(*v0); v0++)
			continue;
		for (v1 = eol; v1 > v0 && is_ows(v1[-1]); v1--)
			continue;
		if (ieq(h, nlen, "content-disposition")) {
			if (have_cd++)
				return PARSE_MALFORMED;
			rc = part_disposition(a, v0, (size_t)(v1 - v0), pt);
			if (rc != PARSE_OK)
				return rc;
		} else if (ieq(h, nlen, "content-type")) {
			if (pt->ctype != NULL)
				return PARSE_MALFORMED;
			rc = media_type(a, v0, (size_t)(v1 - v0), &pt->ctype,
			    NULL);
			if (rc != PARSE_OK)
				return PARSE_MALFORMED;
		} else if (ieq(h, nlen, "content-transfer-encoding")) {
			/* RFC 7578 4.7: deprecated; refuse real encodings. */
			if (!ieq(v0, (size_t)(v1 - v0), "binary") &&
			    !ieq(v0, (size_t)(v1 - v0), "8bit") &&
			    !ieq(v0, (size_t)(v1 - v0), "7bit"))
				return PARSE_MALFORMED;
		}
		h = eol + 2;
	}
	return have_cd ? PARSE_OK : PARSE_MALFORMED;
}

static void
uploads_add(struct arena *a, struct uploads *u, const struct upload *up)
{
	struct upload *nv;
	size_t ncap;

	if (u->n == u->cap) {
		ncap = u->cap ? u->cap * 2 : 8;
		nv = arena_alloc(a, ncap * sizeof(*nv));
		if (u->n > 0)
			memcpy(nv, u->v, u->n * sizeof(*nv));
		u->v = nv;
		u->cap = ncap;
	}
	u->v[u->n++] = *up;
}

/*
 * One part: its header block starts at p.  On success *next points just
 * past the delimiter that ends the part.
 */
static int
one_part(struct arena *a, const char *p, const char *end, const char *delim,
    size_t dlen, struct params *fields, struct uploads *files,
    const char **next)
{
	const char *hend, *data, *q;
	struct upload up;
	struct part pt;
	size_t rem = (size_t)(end - p), hlen, size;
	int rc;

	if (rem >= 2 && p[0] == '\r' && p[1] == '\n') {
		hlen = 0;
		data = p + 2;
	} else {
		hend = find(p, rem < PARSE_MAX_PART_HEADER + 4 ? rem :
		    PARSE_MAX_PART_HEADER + 4, "\r\n\r\n", 4);
		if (hend == NULL)
			return rem >= PARSE_MAX_PART_HEADER + 4 ?
			    PARSE_TOO_LARGE : PARSE_MALFORMED;
		hlen = (size_t)(hend - p) + 2;
		data = hend + 4;
	}
	if ((rc = part_headers(a, p, hlen, &pt)) != PARSE_OK)
		return rc;
	/*
	 * The delimiter's CRLF belongs to the delimiter: a header block
	 * directly followed by "--boundary" lacks its blank line.
	 */
	q = find(data - 2, (size_t)(end - data) + 2, delim, dlen);
	if (q == NULL || q < data)
		return PARSE_MALFORMED;
	size = (size_t)(q - data);
	*next = q + dlen;
	if (pt.filename != NULL) {
		if (pt.filename[0] == '\0' && size == 0)
			return PARSE_OK;	/* empty file input */
		up.field = pt.name;
		up.filename = pt.filename;
		up.ctype = pt.ctype ? pt.ctype : "application/octet-stream";
		up.data = data;
		up.size = size;
		uploads_add(a, files, &up);
		return PARSE_OK;
	}
	if (size > PARSE_MAX_FIELD)
		return PARSE_TOO_LARGE;
	if (memchr(data, '\0', size) != NULL || !utf8_valid(data, size))
		return PARSE_MALFORMED;
	params_add(a, fields, pt.name, data, size);
	return PARSE_OK;
}

int
parse_multipart(struct arena *a, const char *content_type, const char *body,
    size_t len, struct params *fields, struct uploads *files)
{
	struct params ctp = { NULL, 0, 0 };
	const char *type, *b, *p, *end, *q;
	size_t fstart = fields->n, ustart = files->n, blen, dlen, parts = 0;
	char delim[2 + 2 + PARSE_MAX_BOUNDARY + 1];
	int rc;

	if (content_type == NULL)
		return PARSE_MALFORMED;
	rc = parse_media_type(a, content_type, &type, &ctp);
	if (rc != PARSE_OK)
		return rc;
	if (strcmp(type, "multipart/form-data") != 0 ||
	    (b = params_get(&ctp, "boundary")) == NULL || !boundary_valid(b))
		return PARSE_MALFORMED;
	blen = strlen(b);
	delim[0] = '\r';
	delim[1] = '\n';
	delim[2] = delim[3] = '-';
	memcpy(delim + 4, b, blen + 1);
	dlen = blen + 4;

	if (body == NULL)
		return PARSE_MALFORMED;
	end = body + len;
	/* The first delimiter may open the body, without the CRLF. */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((q = find(body, len, delim, dlen)) != NULL)
		p = q + dlen;
	else
		return PARSE_MALFORMED;

	for (;;) {
		/* p is just past a delimiter. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return PARSE_OK;	/* close delimiter; epilogue */
		while (p < end && is_ows(*p))
			p++;	/* transport padding */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			rc = PARSE_MALFORMED;
			break;
		}
		p += 2;
		if (++parts > PARSE_MAX_PARTS) {
			rc = PARSE_TOO_MANY;
			break;
		}
		rc = one_part(a, p, end, delim, dlen, fields, files, &p);
		if (rc != PARSE_OK)
			break;
	}
	fields->n = fstart;
	files->n = ustart;
	return rc;
}

const char *
path_normalise(struct arena *a, const char *raw, size_t len)
{
	char *dec, *out;
	size_t i, n, o = 0, s0;
	long dn;

	if (raw == NULL || len == 0 || raw[0] != '/' || len > PARSE_MAX_PATH)
		return NULL;
	dec = arena_alloc(a, len + 1);
	if ((dn = url_decode(raw, len, dec, 0)) < 0)
		return NULL;
	n = (size_t)dn;
	for (i = 0; i < n; i++)
		if (dec[i] == '\\' || (unsigned char)dec[i] < 0x20 ||
		    dec[i] == 0x7f)
			return NULL;
	out = arena_alloc(a, n + 2);
	for (i = 0; i < n; ) {
		if (dec[i] == '/') {
			i++;
			continue;
		}
		for (s0 = i; i < n && dec[i] != '/'; i++)
			continue;
		if ((i - s0 == 1 && dec[s0] == '.') ||
		    (i - s0 == 2 && dec[s0] == '.' && dec[s0 + 1] == '.'))
			return NULL;
		out[o++] = '/';
		memcpy(out + o, dec + s0, i - s0);
		o += i - s0;
	}
	if (o == 0 || dec[n - 1] == '/')
		out[o++] = '/';
	out[o] = '\0';
	return out;
}
