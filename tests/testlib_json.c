/*
 * testlib_json.c: a small, strict JSON reader for tests (see the header).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "testlib_json.h"

/* Deeper nesting than this is refused rather than recursed into. */
#define JSON_MAX_DEPTH	256

struct jp {
	const char	*s;
	size_t		 n;
	size_t		 pos;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static struct json *value(struct jp *, int);

static void jerr(struct jp *, const char *, ...) ZZ_PRINTF(2, 3);

static void
jerr(struct jp *p, const char *fmt, ...)
{
	va_list ap;
	size_t i, line = 1, col = 1;
	int k;

	if (p->failed)
		return;
	p->failed = 1;
	if (p->err == NULL || p->errlen == 0)
		return;
	for (i = 0; i < p->pos && i < p->n; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	k = snprintf(p->err, p->errlen, "line %zu, column %zu: ", line, col);
	if (k < 0 || (size_t)k >= p->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err + k, p->errlen - (size_t)k, fmt, ap);
	va_end(ap);
}

static void
skip_ws(struct jp *p)
{
	while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
	    p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static struct json *
jnew(enum json_type t)
{
	struct json *v = xcalloc(1, sizeof(*v));

	v->type = t;
	return v;
}

static int
literal(struct jp *p, const char *word)
{
	size_t n = strlen(word);

	if (p->n - p->pos < n || memcmp(p->s + p->pos, word, n) != 0) {
		jerr(p, "unexpected character");
		return -1;
	}
	p->pos += n;
	return 0;
}

static int
digits(struct jp *p)
{
	size_t start = p->pos;

	while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
		p->pos++;
	return p->pos > start;
}

static struct json *
number(struct jp *p)
{
	struct json *v;
	size_t start = p->pos;
	char *end;

	if (p->pos < p->n && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos < p->n && p->s[p->pos] == '0')
		p->pos++;
	else if (!digits(p))
		goto bad;
	if (p->pos < p->n && p->s[p->pos] == '.') {
		p->pos++;
		if (!digits(p))
			goto bad;
	}
	if (p->pos < p->n && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->n && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!digits(p))
			goto bad;
	}
	v = jnew(JSON_NUMBER);
	v->len = p->pos - start;
	v->str = xstrndup(p->s + start, v->len);
	v->num = strtod(v->str, &end);
	return v;
bad:
	jerr(p, "bad number");
	return NULL;
}

static int
hex4(struct jp *p, unsigned *out)
{
	unsigned v = 0;
	size_t i;
	char c;

	if (p->n - p->pos < 4) {
		jerr(p, "short \\u escape");
		return -1;
	}
	for (i = 0; i < 4; i++) {
		c = p->s[p->pos++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else {
			jerr(p, "bad \\u escape");
			return -1;
		}
	}
	*out = v;
	return 0;
}

static void
put_utf8(struct buf *b, unsigned c)
{
	char u[4];

	if (c < 0x80) {
		u[0] = (char)c;
		buf_add(b, u, 1);
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 4);
	}
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned c;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return len;
}

/* A string starting at the opening quote; the text goes to b. */
static int
string(struct jp *p, struct buf *b)
{
	unsigned c, lo;
	size_t k;
	char e;

	p->pos++;
	for (;;) {
		if (p->pos >= p->n) {
			jerr(p, "unterminated string");
			return -1;
		}
		c = (unsigned char)p->s[p->pos];
		if (c == '"') {
			p->pos++;
			return 0;
		}
		if (c < 0x20) {
			jerr(p, "control character in string");
			return -1;
		}
		if (c != '\\') {
			k = utf8_len((const unsigned char *)p->s + p->pos,
			    p->n - p->pos);
			if (k == 0) {
				jerr(p, "invalid UTF-8");
				return -1;
			}
			buf_add(b, p->s + p->pos, k);
			p->pos += k;
			continue;
		}
		if (++p->pos >= p->n) {
			jerr(p, "unterminated string");
			return -1;
		}
		e = p->s[p->pos++];
		switch (e) {
		case '"':
		case '\\':
		case '/':
			buf_putc(b, e);
			break;
		case 'b':
			buf_putc(b, '\b');
			break;
		case 'f':
			buf_putc(b, '\f');
			break;
		case 'n':
			buf_putc(b, '\n');
			break;
		case 'r':
			buf_putc(b, '\r');
			break;
		case 't':
			buf_putc(b, '\t');
			break;
		case 'u':
			if (hex4(p, &c) == -1)
				return -1;
			if (c >= 0xdc00 && c <= 0xdfff) {
				jerr(p, "lone low surrogate");
				return -1;
			}
			if (c >= 0xd800 && c <= 0xdbff) {
				if (p->n - p->pos < 2 || p->s[p->pos] != '\\' ||
				    p->s[p->pos + 1] != 'u') {
					jerr(p, "lone high surrogate");
					return -1;
				}
				p->pos += 2;
				if (hex4(p, &lo) == -1)
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff) {
					jerr(p, "bad low surrogate");
					return -1;
				}
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
			}
			put_utf8(b, c);
			break;
		default:
			p->pos--;
			jerr(p, "bad escape");
			return -1;
		}
	}
}

static struct json *
string_value(struct jp *p)
{
	struct json *v;
	struct buf b;

	buf_init(&b);
	buf_add(&b, "", 0);
	if (string(p, &b) == -1) {
		buf_free(&b);
		return NULL;
	}
	v = jnew(JSON_STRING);
	v->str = b.p;
	v->len = b.n;
	return v;
}

static void
append(struct json *c, char *key, struct json *v)
{
	if ((c->n & (c->n - 1)) == 0) {
		/* Capacity is the next power of two: grow at each one. */
		c->items = xrealloc(c->items,
		    (c->n == 0 ? 1 : c->n * 2) * sizeof(*c->items));
		if (c->type == JSON_OBJECT)
			c->keys = xrealloc(c->keys,
			    (c->n == 0 ? 1 : c->n * 2) * sizeof(*c->keys));
	}
	if (c->type == JSON_OBJECT)
		c->keys[c->n] = key;
	c->items[c->n++] = v;
}

static struct json *
array(struct jp *p, int depth)
{
	struct json *a = jnew(JSON_ARRAY), *v;

	p->pos++;
	skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == ']') {
		p->pos++;
		return a;
	}
	for (;;) {
		if ((v = value(p, depth + 1)) == NULL)
			break;
		append(a, NULL, v);
		skip_ws(p);
		if (p->pos < p->n && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->n && p->s[p->pos] == ']') {
			p->pos++;
			return a;
		}
		jerr(p, "expected , or ] in array");
		break;
	}
	json_free(a);
	return NULL;
}

static struct json *
object(struct jp *p, int depth)
{
	struct json *o = jnew(JSON_OBJECT), *v;
	struct buf key;
	size_t i;

	p->pos++;
	skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == '}') {
		p->pos++;
		return o;
	}
	buf_init(&key);
	for (;;) {
		skip_ws(p);
		if (p->pos >= p->n || p->s[p->pos] != '"') {
			jerr(p, "expected a string key");
			break;
		}
		buf_reset(&key);
		buf_add(&key, "", 0);
		if (string(p, &key) == -1)
			break;
		for (i = 0; i < o->n; i++)
			if (strcmp(o->keys[i], key.p) == 0)
				break;
		if (i < o->n) {
			jerr(p, "duplicate key \"%s\"", key.p);
			break;
		}
		skip_ws(p);
		if (p->pos >= p->n || p->s[p->pos] != ':') {
			jerr(p, "expected :");
			break;
		}
		p->pos++;
		if ((v = value(p, depth + 1)) == NULL)
			break;
		append(o, xstrndup(key.p, key.n), v);
		skip_ws(p);
		if (p->pos < p->n && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->n && p->s[p->pos] == '}') {
			p->pos++;
			buf_free(&key);
			return o;
		}
		jerr(p, "expected , or } in object");
		break;
	}
	buf_free(&key);
	json_free(o);
	return NULL;
}

static struct json *
value(struct jp *p, int depth)
{
	struct json *v;

	if (depth > JSON_MAX_DEPTH) {
		jerr(p, "nested deeper than %d", JSON_MAX_DEPTH);
		return NULL;
	}
	skip_ws(p);
	if (p->pos >= p->n) {
		jerr(p, "unexpected end of input");
		return NULL;
	}
	switch (p->s[p->pos]) {
	case '{':
		return object(p, depth);
	case '[':
		return array(p, depth);
	case '"':
		return string_value(p);
	case 't':
		if (literal(p, "true") == -1)
			return NULL;
		v = jnew(JSON_BOOL);
		v->b = 1;
		return v;
	case 'f':
		if (literal(p, "false") == -1)
			return NULL;
		return jnew(JSON_BOOL);
	case 'n':
		if (literal(p, "null") == -1)
			return NULL;
		return jnew(JSON_NULL);
	default:
		if (p->s[p->pos] == '-' ||
		    (p->s[p->pos] >= '0' && p->s[p->pos] <= '9'))
			return number(p);
		jerr(p, "unexpected character");
		return NULL;
	}
}

struct json *
json_parse(const char *s, size_t n, char *err, size_t errlen)
{
	struct jp p;
	struct json *v;

	memset(&p, 0, sizeof(p));
	p.s = s;
	p.n = s == NULL ? 0 : n;
	p.err = err;
	p.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((v = value(&p, 0)) == NULL)
		return NULL;
	skip_ws(&p);
	if (p.pos < p.n) {
		jerr(&p, "trailing characters after the value");
		json_free(v);
		return NULL;
	}
	return v;
}

void
json_free(struct json *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		json_free(v->items[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const struct json *
json_get(const struct json *obj, const char *key)
{
	size_t i;

	if (obj == NULL || obj->type != JSON_OBJECT || key == NULL)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

const struct json *
json_at(const struct json *arr, size_t i)
{
	if (arr == NULL || arr->type != JSON_ARRAY || i >= arr->n)
		return NULL;
	return arr->items[i];
}

size_t
json_len(const struct json *v)
{
	if (v == NULL || (v->type != JSON_ARRAY && v->type != JSON_OBJECT))
		return 0;
	return v->n;
}

const char *
json_string(const struct json *v)
{
	return v != NULL && v->type == JSON_STRING ? v->str : NULL;
}

double
json_number(const struct json *v, double dflt)
{
	return v != NULL && v->type == JSON_NUMBER ? v->num : dflt;
}

int
json_true(const struct json *v)
{
	return v != NULL && v->type == JSON_BOOL && v->b;
}

const char *
json_type_name(enum json_type t)
{
	switch (t) {
	case JSON_NULL:
		return "null";
	case JSON_BOOL:
		return "boolean";
	case JSON_NUMBER:
		return "number";
	case JSON_STRING:
		return "string";
	case JSON_ARRAY:
		return "array";
	case JSON_OBJECT:
		return "object";
	}
	return "?";
}

char *
json_read_file(const char *path, size_t *lenp, char *err, size_t errlen)
{
	struct buf b;
	FILE *f;
	char chunk[8192];
	size_t got;
	int failed;

	if ((f = fopen(path, "rb")) == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b);
	buf_add(&b, "", 0);
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, got);
	failed = ferror(f);
	fclose(f);
	if (failed) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: read error", path);
		buf_free(&b);
		return NULL;
	}
	if (lenp != NULL)
		*lenp = b.n;
	return b.p;
}

struct json *
json_parse_file(const char *path, char *err, size_t errlen)
{
	struct json *v;
	char *s, msg[256];
	size_t n;

	if ((s = json_read_file(path, &n, err, errlen)) == NULL)
		return NULL;
	v = json_parse(s, n, msg, sizeof(msg));
	if (v == NULL && err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s", path, msg);
	free(s);
	return v;
}
