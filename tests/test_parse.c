/*
 * test_parse.c: unit tests for the HTTP input parsers (src/parse.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"
#include "util.h"

#define NELEM(x)	(sizeof(x) / sizeof((x)[0]))
#define MAXKV		8

struct kv {
	const char	*k;
	const char	*v;
};

/* Asserts that p holds exactly the pairs want[0..n), in order. */
static void
expect_params(const struct params *p, const struct kv *want,
    const char *what)
{
	size_t n = 0;

	while (n < MAXKV && want[n].k != NULL)
		n++;
	if (p->n != n)
		fail_msg("%s: %zu params, expected %zu", what, p->n, n);
	for (n = 0; n < p->n; n++) {
		if (strcmp(p->v[n].key, want[n].k) != 0)
			fail_msg("%s: key %zu is \"%s\", expected \"%s\"",
			    what, n, p->v[n].key, want[n].k);
		if (strcmp(p->v[n].val, want[n].v) != 0)
			fail_msg("%s: value %zu is \"%s\", expected \"%s\"",
			    what, n, p->v[n].val, want[n].v);
		assert_int_equal(p->v[n].vlen, strlen(want[n].v));
	}
}

/* ---- url_decode and utf8_valid -------------------------------------- */

static const struct {
	const char	*in;
	int		 plus;
	const char	*want;	/* NULL: -1 expected */
} decode_cases[] = {
	{ "abc", 1, "abc" },
	{ "", 1, "" },
	{ "a%20b", 1, "a b" },
	{ "a+b", 1, "a b" },
	{ "a+b", 0, "a+b" },
	{ "%2B", 1, "+" },
	{ "%2b%2F", 0, "+/" },
	{ "100%25", 0, "100%" },
	/* 资质 */
	{ "%E8%B5%84%E8%B4%A8", 1, "\xe8\xb5\x84\xe8\xb4\xa8" },
	{ "%e8%b5%84", 1, "\xe8\xb5\x84" },			/* 资 */
	{ "\xe8\xb5\x84\xe8\xb4\xa8", 1, "\xe8\xb5\x84\xe8\xb4\xa8" },
	{ "%F0%9F%98%80", 0, "\xf0\x9f\x98\x80" },		/* U+1F600 */
	{ "%F4%8F%BF%BF", 0, "\xf4\x8f\xbf\xbf" },		/* U+10FFFF */
	{ "%zz", 1, NULL },
	{ "%4", 1, NULL },
	{ "a%2", 1, NULL },
	{ "%", 1, NULL },
	{ "%%41", 1, NULL },
	{ "%4g", 1, NULL },
	{ "%00", 1, NULL },
	{ "a%00b", 0, NULL },
	{ "%C3%28", 1, NULL },		/* bad continuation */
	{ "%C0%AF", 1, NULL },		/* overlong '/' */
	{ "%E0%80%AF", 1, NULL },	/* overlong '/' */
	{ "%ED%A0%80", 1, NULL },	/* surrogate U+D800 */
	{ "%F4%90%80%80", 1, NULL },	/* U+110000 */
	{ "%E8%B5", 1, NULL },		/* truncated */
	{ "%FF", 1, NULL },
	{ "\xff", 1, NULL },		/* raw invalid byte */
};

static void
test_url_decode(void **state)
{
	char out[64];
	size_t i, len;
	long n;

	for (i = 0; i < NELEM(decode_cases); i++) {
		len = strlen(decode_cases[i].in);
		memset(out, 'X', sizeof(out));
		n = url_decode(decode_cases[i].in, len, out,
		    decode_cases[i].plus);
		if (decode_cases[i].want == NULL) {
			if (n != -1)
				fail_msg("url_decode(\"%s\") = %ld, want -1",
				    decode_cases[i].in, n);
			continue;
		}
		if (n < 0 || (size_t)n != strlen(decode_cases[i].want) ||
		    strcmp(out, decode_cases[i].want) != 0)
			fail_msg("url_decode(\"%s\") = %ld \"%s\"",
			    decode_cases[i].in, n, n < 0 ? "" : out);
	}
}

static void
test_url_decode_inplace(void **state)
{
	char s[] = "a%2Fb+c%E8%B5%84";
	long n;

	n = url_decode(s, strlen(s), s, 1);
	assert_int_equal(n, 8);
	assert_string_equal(s, "a/b c\xe8\xb5\x84");
	/* Only len bytes are read: the '%' past len is not seen. */
	n = url_decode("ab%", 2, s, 0);
	assert_int_equal(n, 2);
	assert_string_equal(s, "ab");
}

static const struct {
	const char	*s;
	size_t		 n;
	int		 ok;
} utf8_cases[] = {
	{ "", 0, 1 },
	{ "plain", 5, 1 },
	{ "a\0b", 3, 1 },			/* NUL is valid UTF-8 */
	{ "\xc2\x80", 2, 1 },			/* U+0080 */
	{ "\xdf\xbf", 2, 1 },
	{ "\xe0\xa0\x80", 3, 1 },		/* U+0800 */
	{ "\xed\x9f\xbf", 3, 1 },		/* U+D7FF */
	{ "\xee\x80\x80", 3, 1 },		/* U+E000 */
	{ "\xef\xbf\xbf", 3, 1 },		/* U+FFFF */
	{ "\xf0\x90\x80\x80", 4, 1 },		/* U+10000 */
	{ "\xf4\x8f\xbf\xbf", 4, 1 },		/* U+10FFFF */
	{ "\x80", 1, 0 },			/* lone continuation */
	{ "\xc0\x80", 2, 0 },			/* overlong NUL */
	{ "\xc1\xbf", 2, 0 },
	{ "\xe0\x9f\xbf", 3, 0 },		/* overlong */
	{ "\xed\xa0\x80", 3, 0 },		/* U+D800 */
	{ "\xed\xbf\xbf", 3, 0 },		/* U+DFFF */
	{ "\xf0\x8f\xbf\xbf", 4, 0 },		/* overlong */
	{ "\xf4\x90\x80\x80", 4, 0 },		/* U+110000 */
	{ "\xf5\x80\x80\x80", 4, 0 },
	{ "\xfe", 1, 0 },
	{ "\xe8\xb5", 2, 0 },			/* truncated */
	{ "\xe8\xb5\x84\xe8", 4, 0 },
	{ "\xe8\x35\x84", 3, 0 },		/* bad continuation */
	{ "\xf0\x9f\x98", 3, 0 },
};

static void
test_utf8_valid(void **state)
{
	size_t i;

	for (i = 0; i < NELEM(utf8_cases); i++)
		if (utf8_valid(utf8_cases[i].s, utf8_cases[i].n) !=
		    utf8_cases[i].ok)
			fail_msg("utf8_valid case %zu: want %d", i,
			    utf8_cases[i].ok);
}

/* ---- urlencoded ------------------------------------------------------ */

static const struct {
	const char	*in;
	int		 rc;
	struct kv	 want[MAXKV];
} form_cases[] = {
	{ "a=1&b=&c", PARSE_OK, { { "a", "1" }, { "b", "" }, { "c", "" } } },
	{ "", PARSE_OK, { { NULL, NULL } } },
	{ "=x", PARSE_OK, { { NULL, NULL } } },
	{ "=x&y=1", PARSE_OK, { { "y", "1" } } },
	{ "&&", PARSE_OK, { { NULL, NULL } } },
	{ "&&a=1&&b=2&", PARSE_OK, { { "a", "1" }, { "b", "2" } } },
	{ "a=b=c", PARSE_OK, { { "a", "b=c" } } },
	{ "k%20ey=v+al%26ue", PARSE_OK, { { "k ey", "v al&ue" } } },
	{ "a+b=%2B", PARSE_OK, { { "a b", "+" } } },
	{ "name=%E8%B5%84%E8%B4%A8", PARSE_OK,
	    { { "name", "\xe8\xb5\x84\xe8\xb4\xa8" } } },
	{ "x=1&x=2&y=3&x=4", PARSE_OK,
	    { { "x", "1" }, { "x", "2" }, { "y", "3" }, { "x", "4" } } },
	{ "a=%zz", PARSE_MALFORMED, { { NULL, NULL } } },
	{ "a=1&b=%4", PARSE_MALFORMED, { { NULL, NULL } } },
	{ "%zz=1", PARSE_MALFORMED, { { NULL, NULL } } },
	{ "a=%00", PARSE_MALFORMED, { { NULL, NULL } } },
	{ "a=%C0%AF", PARSE_MALFORMED, { { NULL, NULL } } },
};

static void
test_urlencoded_table(void **state)
{
	struct arena *a;
	struct params p;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(form_cases); i++) {
		a = arena_new();
		memset(&p, 0, sizeof(p));
		rc = parse_urlencoded(a, form_cases[i].in,
		    strlen(form_cases[i].in), &p);
		if (rc != form_cases[i].rc)
			fail_msg("\"%s\": rc %d, want %d", form_cases[i].in,
			    rc, form_cases[i].rc);
		expect_params(&p, form_cases[i].want, form_cases[i].in);
		arena_free(a);
	}
}

static void
test_urlencoded_repeated(void **state)
{
	struct arena *a = arena_new();
	struct params p = { NULL, 0, 0 };
	const char *s = "row=a&other=1&row=b&row=&row=d";

	assert_int_equal(parse_urlencoded(a, s, strlen(s), &p), PARSE_OK);
	assert_int_equal(params_count(&p, "row"), 4);
	assert_int_equal(params_count(&p, "other"), 1);
	assert_int_equal(params_count(&p, "none"), 0);
	assert_string_equal(params_get(&p, "row"), "a");
	assert_string_equal(params_nth(&p, "row", 1), "b");
	assert_string_equal(params_nth(&p, "row", 2), "");
	assert_string_equal(params_nth(&p, "row", 3), "d");
	assert_null(params_nth(&p, "row", 4));
	assert_null(params_get(&p, "none"));
	assert_null(params_get(&p, "ro"));
	arena_free(a);
}

static void
test_urlencoded_binary_len(void **state)
{
	struct arena *a = arena_new();
	struct params p = { NULL, 0, 0 };
	const char s[] = "a=1\0&b=2";

	/* A raw NUL inside the given length is refused... */
	assert_int_equal(parse_urlencoded(a, s, sizeof(s) - 1, &p),
	    PARSE_MALFORMED);
	assert_int_equal(p.n, 0);
	/* ...and bytes past len are not read. */
	assert_int_equal(parse_urlencoded(a, "a=12&b=2", 3, &p), PARSE_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(params_get(&p, "a"), "1");
	arena_free(a);
}

static void
test_urlencoded_caps(void **state)
{
	struct arena *a = arena_new();
	struct params p = { NULL, 0, 0 };
	struct buf b;
	char *big;
	size_t i;

	buf_init(&b);
	for (i = 0; i < PARSE_MAX_PARAMS; i++)
		buf_printf(&b, "%sk%zu=%zu", i ? "&" : "", i, i);
	assert_int_equal(parse_urlencoded(a, b.p, b.n, &p), PARSE_OK);
	assert_int_equal(p.n, PARSE_MAX_PARAMS);
	assert_string_equal(params_get(&p, "k999"), "999");
	assert_string_equal(params_get(&p, "k0"), "0");

	/* 1001 pairs: refused, and what p held before is left alone. */
	buf_puts(&b, "&one=more");
	assert_int_equal(parse_urlencoded(a, b.p, b.n, &p), PARSE_TOO_MANY);
	assert_int_equal(p.n, PARSE_MAX_PARAMS);

	/* Empty pieces do not count towards the cap. */
	buf_reset(&b);
	for (i = 0; i < 2 * PARSE_MAX_PARAMS; i++)
		buf_puts(&b, "&");
	buf_puts(&b, "z=1");
	memset(&p, 0, sizeof(p));
	assert_int_equal(parse_urlencoded(a, b.p, b.n, &p), PARSE_OK);
	assert_int_equal(p.n, 1);
	buf_free(&b);

	big = malloc(PARSE_MAX_URLENCODED + 1);
	assert_non_null(big);
	memset(big, 'a', PARSE_MAX_URLENCODED + 1);
	assert_int_equal(parse_urlencoded(a, big, PARSE_MAX_URLENCODED + 1,
	    &p), PARSE_TOO_LARGE);
	assert_int_equal(parse_urlencoded(a, big, PARSE_MAX_URLENCODED, &p),
	    PARSE_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[1].vlen, 0);
	assert_int_equal(strlen(p.v[1].key), PARSE_MAX_URLENCODED);
	free(big);
	arena_free(a);
}

/* ---- cookies --------------------------------------------------------- */

static const struct {
	const char	*in;
	int		 rc;
	struct kv	 want[MAXKV];
} cookie_cases[] = {
	{ "a=b; c=d", PARSE_OK, { { "a", "b" }, { "c", "d" } } },
	{ "a=b;c=d", PARSE_OK, { { "a", "b" }, { "c", "d" } } },
	{ "  a = b ;\tc=d  ;", PARSE_OK, { { "a", "b" }, { "c", "d" } } },
	{ "sid=\"abc123\"; x=1", PARSE_OK,
	    { { "sid", "abc123" }, { "x", "1" } } },
	{ "e=\"\"; f=", PARSE_OK, { { "e", "" }, { "f", "" } } },
	{ "tok=a=b==", PARSE_OK, { { "tok", "a=b==" } } },
	{ "a=1; a=2", PARSE_OK, { { "a", "1" }, { "a", "2" } } },
	{ "", PARSE_OK, { { NULL, NULL } } },
	{ ";;; ;", PARSE_OK, { { NULL, NULL } } },
	/* Malformed pairs are skipped; the good ones around them kept. */
	{ "a; b=1; =2; c d=3; e=x y; f=\"open; g=ok", PARSE_OK,
	    { { "b", "1" }, { "g", "ok" } } },
	{ "h=a,b; i=a\\b; j=\"a\"b\"; k=\xe8\xb5\x84; l=2", PARSE_OK,
	    { { "l", "2" } } },
	{ "n(x)=1; m=\"; o=1", PARSE_OK, { { "o", "1" } } },
};

static void
test_cookies_table(void **state)
{
	struct arena *a;
	struct params p;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(cookie_cases); i++) {
		a = arena_new();
		memset(&p, 0, sizeof(p));
		rc = parse_cookies(a, cookie_cases[i].in, &p);
		if (rc != cookie_cases[i].rc)
			fail_msg("\"%s\": rc %d", cookie_cases[i].in, rc);
		expect_params(&p, cookie_cases[i].want, cookie_cases[i].in);
		arena_free(a);
	}
}

static void
test_cookies_caps(void **state)
{
	struct arena *a = arena_new();
	struct params p = { NULL, 0, 0 };
	struct buf b;
	size_t i;

	assert_int_equal(parse_cookies(a, NULL, &p), PARSE_OK);
	assert_int_equal(p.n, 0);

	buf_init(&b);
	for (i = 0; i <= PARSE_MAX_PARAMS; i++)
		buf_puts(&b, "a=1;");
	assert_true(b.n <= PARSE_MAX_HEADER);
	assert_int_equal(parse_cookies(a, b.p, &p), PARSE_TOO_MANY);
	assert_int_equal(p.n, 0);

	buf_reset(&b);
	for (i = 0; i < PARSE_MAX_HEADER; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "=1");
	assert_int_equal(parse_cookies(a, b.p, &p), PARSE_TOO_LARGE);
	assert_int_equal(parse_cookies(a, b.p + 2, &p), PARSE_OK);
	assert_int_equal(p.n, 1);
	buf_free(&b);
	arena_free(a);
}

/* ---- media types ----------------------------------------------------- */

static const struct {
	const char	*in;
	int		 rc;
	const char	*type;
	const char	*pname;
	const char	*pval;
} media_cases[] = {
	{ "text/html", PARSE_OK, "text/html", "charset", NULL },
	{ "text/html; charset=UTF-8", PARSE_OK,
	    "text/html", "charset", "UTF-8" },
	{ "Text/HTML;Charset=\"utf-8\"", PARSE_OK,
	    "text/html", "charset", "utf-8" },
	{ " multipart/form-data ; boundary = \"a b:c\" ", PARSE_OK,
	    "multipart/form-data", "boundary", "a b:c" },
	{ "a/b; x=\"q\\\"uote\\\\\"", PARSE_OK, "a/b", "x", "q\"uote\\" },
	{ "a/b; x=\"C:\\dir\"", PARSE_OK, "a/b", "x", "C:\\dir" },
	{ "a/b;; ; y=1;", PARSE_OK, "a/b", "y", "1" },
	{ "a/b; x=\"\"", PARSE_OK, "a/b", "x", "" },
	{ "text", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "text/", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "/html", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "a/b c", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "a/b; x", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "a/b; x=", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "a/b; =1", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "a/b; x=\"open", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "a/b; x=\"a\"b", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "a/b; x=1; X=2", PARSE_MALFORMED, NULL, NULL, NULL },
	{ "a/b; x=\"a\rb\"", PARSE_MALFORMED, NULL, NULL, NULL },
};

static void
test_media_type(void **state)
{
	struct arena *a = arena_new();
	struct params p;
	const char *type;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(media_cases); i++) {
		memset(&p, 0, sizeof(p));
		rc = parse_media_type(a, media_cases[i].in, &type, &p);
		if (rc != media_cases[i].rc)
			fail_msg("\"%s\": rc %d", media_cases[i].in, rc);
		if (rc != PARSE_OK) {
			assert_null(type);
			assert_int_equal(p.n, 0);
			assert_null(parse_header_param(a, media_cases[i].in,
			    "x"));
			continue;
		}
		assert_string_equal(type, media_cases[i].type);
		if (media_cases[i].pval == NULL) {
			assert_null(params_get(&p, media_cases[i].pname));
			continue;
		}
		assert_string_equal(params_get(&p, media_cases[i].pname),
		    media_cases[i].pval);
		assert_string_equal(parse_header_param(a, media_cases[i].in,
		    media_cases[i].pname), media_cases[i].pval);
		/* Without a params list only the type is wanted. */
		assert_int_equal(parse_media_type(a, media_cases[i].in, &type,
		    NULL), PARSE_OK);
		assert_string_equal(type, media_cases[i].type);
	}
	assert_int_equal(parse_media_type(a, NULL, &type, NULL),
	    PARSE_MALFORMED);
	arena_free(a);
}

static void
test_media_type_caps(void **state)
{
	struct arena *a = arena_new();
	struct buf b;
	const char *type;
	size_t i;

	buf_init(&b);
	buf_puts(&b, "a/b");
	for (i = 0; i < PARSE_MAX_HPARAMS; i++)
		buf_printf(&b, "; p%zu=%zu", i, i);
	assert_int_equal(parse_media_type(a, b.p, &type, NULL), PARSE_OK);
	buf_puts(&b, "; last=1");
	assert_int_equal(parse_media_type(a, b.p, &type, NULL),
	    PARSE_TOO_MANY);
	buf_reset(&b);
	buf_puts(&b, "a/b; x=\"");
	while (b.n < PARSE_MAX_HEADER)
		buf_putc(&b, 'y');
	buf_putc(&b, '"');
	assert_int_equal(parse_media_type(a, b.p, &type, NULL),
	    PARSE_TOO_LARGE);
	buf_free(&b);
	arena_free(a);
}

/* ---- multipart ------------------------------------------------------- */

#define CT	"multipart/form-data; boundary=XyZ"

/* File bytes with CRLF, "--", NUL, a near-miss delimiter and high bytes. */
static const char binfile[] =
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
    "\r\n--\r\n--XY\r\n--Xy\r\n--xyz"	/* near misses of "\r\n--XyZ" */
    "\0\xff\xfe--\r\n\r\n--"
    "\r\n-XyZ\n--XyZ\r--XyZ--XyZ--";

static void
test_multipart_basic(void **state)
{
	struct arena *a = arena_new();
	struct params f = { NULL, 0, 0 };
	struct uploads u = { NULL, 0, 0 };
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"title\"\r\n"
	    "\r\n"
	    "\xe8\xb5\x84\xe8\xb4\xa8 line1\r\nline2\r\n"
	    "--XyZ\r\n"
	    "content-disposition: form-data; name=\"doc\"; "
	    "filename=\"logo.png\"\r\n"
	    "Content-Type: Image/PNG\r\n"
	    "\r\n");
	buf_add(&b, binfile, sizeof(binfile) - 1);
	buf_puts(&b, "\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=empty\r\n"
	    "\r\n"
	    "\r\n--XyZ--\r\n");

	assert_int_equal(parse_multipart(a, CT, b.p, b.n, &f, &u), PARSE_OK);
	assert_int_equal(f.n, 2);
	assert_string_equal(params_get(&f, "title"),
	    "\xe8\xb5\x84\xe8\xb4\xa8 line1\r\nline2");
	assert_string_equal(params_get(&f, "empty"), "");
	assert_int_equal(u.n, 1);
	assert_string_equal(u.v[0].field, "doc");
	assert_string_equal(u.v[0].filename, "logo.png");
	assert_string_equal(u.v[0].ctype, "image/png");
	assert_int_equal(u.v[0].size, sizeof(binfile) - 1);
	assert_memory_equal(u.v[0].data, binfile, sizeof(binfile) - 1);
	/* Data points into the body: no copy. */
	assert_true(u.v[0].data > b.p && u.v[0].data < b.p + b.n);
	buf_free(&b);
	arena_free(a);
}

static void
test_multipart_quoted_boundary(void **state)
{
	struct arena *a = arena_new();
	struct params f = { NULL, 0, 0 };
	struct uploads u = { NULL, 0, 0 };
	const char *ct = "Multipart/Form-Data; charset=utf-8; "
	    "boundary=\"gc0p4Jq0M2Yt08j34c0p:()'+_,./=? x\"";
	const char *body =
	    "This is a preamble; it is ignored.\r\n"
	    "--gc0p4Jq0M2Yt08j34c0p:()'+_,./=? x  \t\r\n"	/* padding */
	    "Content-Disposition: form-data; name=\"a\"\r\n"
	    "X-Unknown: ignored\r\n"
	    "\r\n"
	    "1\r\n"
	    "--gc0p4Jq0M2Yt08j34c0p:()'+_,./=? x\r\n"
	    "Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
	    "Content-Transfer-Encoding: binary\r\n"
	    "\r\n"
	    "text\r\n"
	    "--gc0p4Jq0M2Yt08j34c0p:()'+_,./=? x--\r\n"
	    "This is an epilogue.\r\n--gc0p4Jq0M2Yt08j34c0p:()'+_,./=? x\r\n";

	assert_int_equal(parse_multipart(a, ct, body, strlen(body), &f, &u),
	    PARSE_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(params_get(&f, "a"), "1");
	assert_int_equal(u.n, 1);
	assert_string_equal(u.v[0].ctype, "application/octet-stream");
	assert_int_equal(u.v[0].size, 4);
	assert_memory_equal(u.v[0].data, "text", 4);
	arena_free(a);
}

static void
test_multipart_filenames(void **state)
{
	struct arena *a = arena_new();
	struct params f = { NULL, 0, 0 };
	struct uploads u = { NULL, 0, 0 };
	const char *body =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"f1\"; "
	    "filename=\"C:\\Users\\me\\say \\\"hi\\\".txt\"\r\n"
	    "\r\n"
	    "one\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"f2\"; "
	    "filename=\"../../etc/passwd\"\r\n"
	    "\r\n"
	    "two\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"f3\"; "
	    "filename=\"\xe8\xb5\x84\xe8\xb4\xa8%22.pdf\"\r\n"
	    "\r\n"
	    "three\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"f4\"; filename=\"\"\r\n"
	    "\r\n"
	    "data without a name\r\n"
	    "--XyZ--";

	assert_int_equal(parse_multipart(a, CT, body, strlen(body), &f, &u),
	    PARSE_OK);
	assert_int_equal(f.n, 0);
	assert_int_equal(u.n, 4);
	/* Kept raw: the caller sanitises. */
	assert_string_equal(u.v[0].filename, "C:\\Users\\me\\say \"hi\".txt");
	assert_string_equal(u.v[1].filename, "../../etc/passwd");
	assert_string_equal(u.v[2].filename,
	    "\xe8\xb5\x84\xe8\xb4\xa8%22.pdf");
	/* Empty filename with data is still a file. */
	assert_string_equal(u.v[3].filename, "");
	assert_int_equal(u.v[3].size, 19);
	arena_free(a);
}

static void
test_multipart_empty_file_skipped(void **state)
{
	struct arena *a = arena_new();
	struct params f = { NULL, 0, 0 };
	struct uploads u = { NULL, 0, 0 };
	const char *body =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"doc\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "\r\n"
	    "\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"note\"\r\n"
	    "\r\n"
	    "hi\r\n"
	    "--XyZ--\r\n";

	assert_int_equal(parse_multipart(a, CT, body, strlen(body), &f, &u),
	    PARSE_OK);
	assert_int_equal(u.n, 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(params_get(&f, "note"), "hi");
	arena_free(a);
}

static const struct {
	const char	*name;
	const char	*ct;
	const char	*body;
	int		 rc;
} mp_bad[] = {
	{ "no final boundary", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
	    -1 },
	{ "delimiter but no close", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
	    "\r\n--XyZ\r\n", -1 },
	{ "truncated close", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
	    "\r\n--XyZ-", -1 },
	{ "truncated headers", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n", -1 },
	{ "empty body", CT, "", -1 },
	{ "no delimiter at all", CT, "hello", -1 },
	{ "no boundary param", "multipart/form-data",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "empty boundary", "multipart/form-data; boundary=\"\"",
	    "--\r\n\r\n--", -1 },
	{ "boundary ends in space", "multipart/form-data; boundary=\"a \"",
	    "--a \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
	    "\r\n--a --", -1 },
	{ "boundary with bad char", "multipart/form-data; boundary=\"a;b\"",
	    "--a;b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
	    "\r\n--a;b--", -1 },
	{ "boundary 71 chars", "multipart/form-data; boundary="
	    "12345678901234567890123456789012345678901234567890"
	    "123456789012345678901", "", -1 },
	{ "two boundaries", CT "; boundary=other",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "not form-data", "multipart/mixed; boundary=XyZ",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "no content type", NULL, "--XyZ--", -1 },
	{ "part without disposition", CT,
	    "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--", -1 },
	{ "part without headers", CT, "--XyZ\r\n\r\n1\r\n--XyZ--", -1 },
	{ "disposition not form-data", CT,
	    "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "disposition without name", CT,
	    "--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "empty name", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "repeated name param", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "two dispositions", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	    "Content-Disposition: form-data; name=b\r\n\r\n1\r\n--XyZ--", -1 },
	{ "unterminated quote", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "folded header", CT,
	    "--XyZ\r\nX-A: 1\r\n X-B: 2\r\n"
	    "Content-Disposition: form-data; name=a"
	    "\r\n\r\n1\r\n--XyZ--", -1 },
	{ "bare LF in headers", CT,
	    "--XyZ\r\nX: 1\nContent-Disposition: form-data; name=a\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "bare CR in headers", CT,
	    "--XyZ\r\nX: 1\r2\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "header without colon", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\nJunk\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "space before colon", CT,
	    "--XyZ\r\nContent-Disposition : form-data; name=a\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "two content types", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a; filename=b\r\n"
	    "Content-Type: text/plain\r\nContent-Type: image/png\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "base64 transfer encoding", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\nMQ==\r\n--XyZ--", -1 },
	{ "bad part content type", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	    "Content-Type: nonsense\r\n\r\n1\r\n--XyZ--", -1 },
	{ "field not UTF-8", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\xc0\xaf"
	    "\r\n--XyZ--", -1 },
	{ "name not UTF-8", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "filename not UTF-8", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a; "
	    "filename=\"\xed\xa0\x80\"\r\n\r\n1\r\n--XyZ--", -1 },
	{ "garbage after delimiter", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1"
	    "\r\n--XyZjunk\r\n--XyZ--", -1 },
	{ "garbage after first delimiter", CT,
	    "--XyZ junk\r\nContent-Disposition: form-data; name=a\r\n\r\n1"
	    "\r\n--XyZ--", -1 },
	{ "blank line shared with delimiter", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n--XyZ--",
	    -1 },
	{ "no blank line after headers", CT,
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n--XyZ--\r\n",
	    -1 },
};

static void
test_multipart_malformed(void **state)
{
	struct arena *a;
	struct params f;
	struct uploads u;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(mp_bad); i++) {
		a = arena_new();
		memset(&f, 0, sizeof(f));
		memset(&u, 0, sizeof(u));
		/* Something from an earlier parse that must survive. */
		params_add(a, &f, "keep", "me", 2);
		rc = parse_multipart(a, mp_bad[i].ct, mp_bad[i].body,
		    strlen(mp_bad[i].body), &f, &u);
		if (rc != mp_bad[i].rc)
			fail_msg("%s: rc %d, want %d", mp_bad[i].name, rc,
			    mp_bad[i].rc);
		assert_int_equal(f.n, 1);
		assert_int_equal(u.n, 0);
		arena_free(a);
	}
}

static void
test_multipart_nul_in_field(void **state)
{
	struct arena *a = arena_new();
	struct params f = { NULL, 0, 0 };
	struct uploads u = { NULL, 0, 0 };
	static const char body[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "1\0002\r\n--XyZ--";
	static const char hbody[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=a\0\r\n\r\n"
	    "1\r\n--XyZ--";
	static const char fbody[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=a; filename=b\r\n"
	    "\r\n1\0002\r\n--XyZ--";

	assert_int_equal(parse_multipart(a, CT, body, sizeof(body) - 1,
	    &f, &u), PARSE_MALFORMED);
	assert_int_equal(parse_multipart(a, CT, hbody, sizeof(hbody) - 1,
	    &f, &u), PARSE_MALFORMED);
	assert_int_equal(f.n + u.n, 0);
	/* In a file, NUL is just data. */
	assert_int_equal(parse_multipart(a, CT, fbody, sizeof(fbody) - 1,
	    &f, &u), PARSE_OK);
	assert_int_equal(u.n, 1);
	assert_int_equal(u.v[0].size, 3);
	assert_memory_equal(u.v[0].data, "1\0002", 3);
	arena_free(a);
}

static void
build_parts(struct buf *b, size_t n)
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < n; i++)
		buf_printf(b, "--XyZ\r\nContent-Disposition: form-data; "
		    "name=\"row\"\r\n\r\n%zu\r\n", i);
	buf_puts(b, "--XyZ--\r\n");
}

static void
test_multipart_caps(void **state)
{
	struct arena *a = arena_new();
	struct params f = { NULL, 0, 0 };
	struct uploads u = { NULL, 0, 0 };
	struct buf b;
	size_t i;

	buf_init(&b);
	build_parts(&b, PARSE_MAX_PARTS);
	assert_int_equal(parse_multipart(a, CT, b.p, b.n, &f, &u), PARSE_OK);
	assert_int_equal(params_count(&f, "row"), PARSE_MAX_PARTS);
	assert_string_equal(params_nth(&f, "row", 199), "199");

	build_parts(&b, PARSE_MAX_PARTS + 1);
	memset(&f, 0, sizeof(f));
	assert_int_equal(parse_multipart(a, CT, b.p, b.n, &f, &u),
	    PARSE_TOO_MANY);
	assert_int_equal(f.n, 0);

	/* A header block that never ends. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n");
	for (i = 0; i < PARSE_MAX_PART_HEADER / 8; i++)
		buf_puts(&b, "X-Y: z\r\n");
	buf_puts(&b, "\r\n1\r\n--XyZ--");
	assert_int_equal(parse_multipart(a, CT, b.p, b.n, &f, &u),
	    PARSE_TOO_LARGE);

	/* A text field over PARSE_MAX_FIELD. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n");
	for (i = 0; i <= PARSE_MAX_FIELD; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\r\n--XyZ--");
	assert_int_equal(parse_multipart(a, CT, b.p, b.n, &f, &u),
	    PARSE_TOO_LARGE);
	assert_int_equal(f.n, 0);
	buf_free(&b);
	arena_free(a);
}

/* ---- path_normalise -------------------------------------------------- */

static const struct {
	const char	*in;
	const char	*want;	/* NULL: refused */
} path_cases[] = {
	{ "/", "/" },
	{ "//", "/" },
	{ "/a//b", "/a/b" },
	{ "///a///b///", "/a/b/" },
	{ "/a/", "/a/" },
	{ "/static/style.css", "/static/style.css" },
	{ "/case/42/files", "/case/42/files" },
	{ "/%E8%B5%84%E8%B4%A8", "/\xe8\xb5\x84\xe8\xb4\xa8" },
	{ "/a+b%20c", "/a+b c" },
	{ "/a%2Fb", "/a/b" },
	{ "/...", "/..." },
	{ "/.well-known/x", "/.well-known/x" },
	{ "/a..b", "/a..b" },
	{ "/a/./b", NULL },
	{ "/a/.", NULL },
	{ "/./", NULL },
	{ "/../etc", NULL },
	{ "/a/../../etc/passwd", NULL },
	{ "/a/..", NULL },
	{ "/%2e%2e/etc", NULL },
	{ "/%2E%2E", NULL },
	{ "/a/%2e/b", NULL },
	{ "/.%2e/x", NULL },
	{ "/a%2F..%2Fb", NULL },
	{ "/a\\b", NULL },
	{ "/a%5Cb", NULL },
	{ "/..\\x", NULL },
	{ "a/b", NULL },
	{ "", NULL },
	{ "%2Fa", NULL },
	{ "/%00", NULL },
	{ "/a%0D%0Ab", NULL },
	{ "/a\tb", NULL },
	{ "/%zz", NULL },
	{ "/%C0%AE%C0%AE/x", NULL },	/* overlong "." */
	{ "/\xff", NULL },
};

static void
test_path_normalise(void **state)
{
	struct arena *a = arena_new();
	const char *r;
	size_t i;

	for (i = 0; i < NELEM(path_cases); i++) {
		r = path_normalise(a, path_cases[i].in,
		    strlen(path_cases[i].in));
		if (path_cases[i].want == NULL && r != NULL)
			fail_msg("\"%s\" gave \"%s\", want refusal",
			    path_cases[i].in, r);
		if (path_cases[i].want != NULL &&
		    (r == NULL || strcmp(r, path_cases[i].want) != 0))
			fail_msg("\"%s\" gave \"%s\", want \"%s\"",
			    path_cases[i].in, r ? r : "(null)",
			    path_cases[i].want);
	}
	assert_null(path_normalise(a, NULL, 0));
	/* Only len bytes are read. */
	assert_string_equal(path_normalise(a, "/a/../b", 2), "/a");
	arena_free(a);
}

static void
test_path_normalise_cap(void **state)
{
	struct arena *a = arena_new();
	char *p = malloc(PARSE_MAX_PATH + 1);

	assert_non_null(p);
	memset(p, 'a', PARSE_MAX_PATH + 1);
	p[0] = '/';
	assert_non_null(path_normalise(a, p, PARSE_MAX_PATH));
	assert_null(path_normalise(a, p, PARSE_MAX_PATH + 1));
	free(p);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_url_decode_inplace),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_urlencoded_table),
		cmocka_unit_test(test_urlencoded_repeated),
		cmocka_unit_test(test_urlencoded_binary_len),
		cmocka_unit_test(test_urlencoded_caps),
		cmocka_unit_test(test_cookies_table),
		cmocka_unit_test(test_cookies_caps),
		cmocka_unit_test(test_media_type),
		cmocka_unit_test(test_media_type_caps),
		cmocka_unit_test(test_multipart_basic),
		cmocka_unit_test(test_multipart_quoted_boundary),
		cmocka_unit_test(test_multipart_filenames),
		cmocka_unit_test(test_multipart_empty_file_skipped),
		cmocka_unit_test(test_multipart_malformed),
		cmocka_unit_test(test_multipart_nul_in_field),
		cmocka_unit_test(test_multipart_caps),
		cmocka_unit_test(test_path_normalise),
		cmocka_unit_test(test_path_normalise_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
