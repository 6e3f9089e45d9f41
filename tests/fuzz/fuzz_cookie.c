/*
 * fuzz_cookie: parse_cookies on an arbitrary Cookie header (the input up
 * to its first NUL, as a header arrives from either front door).
 *
 * Invariants: every kept name is a non-empty RFC 9110 token; every value
 * is only RFC 6265 cookie-octets (so no quote, comma, semicolon, space,
 * backslash, control or non-ASCII byte), vlen is its length; at most
 * PARSE_MAX_PARAMS pairs; on an error the list is as before the call; a
 * header over PARSE_MAX_HEADER is PARSE_TOO_LARGE; the same header parsed
 * twice gives the same pairs.
 */
#include "fuzz_common.h"
#include "parse.h"
#include "util.h"

static int
is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int
is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
	    (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	    (c >= 0x5d && c <= 0x7e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct params p = { NULL, 0, 0 }, q = { NULL, 0, 0 };
	char *h = fuzz_strndup(data, size);
	size_t i, j, hlen = strlen(h);
	int rc, rc2;

	params_add(a, &p, "before", "kept", 4);
	rc = parse_cookies(a, h, &p);
	FUZZ_CHECK(rc == PARSE_OK || rc == PARSE_TOO_MANY ||
	    rc == PARSE_TOO_LARGE, "rc %d", rc);
	FUZZ_CHECK(p.n >= 1 && strcmp(p.v[0].key, "before") == 0 &&
	    strcmp(p.v[0].val, "kept") == 0, "earlier pair changed");
	if (hlen > PARSE_MAX_HEADER)
		FUZZ_CHECK(rc == PARSE_TOO_LARGE, "%zu bytes gave %d", hlen, rc);
	if (rc != PARSE_OK)
		FUZZ_CHECK(p.n == 1, "error %d left %zu pairs", rc, p.n);
	else
		FUZZ_CHECK(p.n - 1 <= PARSE_MAX_PARAMS, "%zu pairs", p.n - 1);
	for (i = 1; i < p.n; i++) {
		FUZZ_CHECK(p.v[i].key[0] != '\0', "empty name %zu", i);
		for (j = 0; p.v[i].key[j] != '\0'; j++)
			FUZZ_CHECK(is_tchar((unsigned char)p.v[i].key[j]),
			    "name %zu byte %zu is 0x%02x", i, j,
			    (unsigned char)p.v[i].key[j]);
		FUZZ_CHECK(strlen(p.v[i].val) == p.v[i].vlen,
		    "value %zu: vlen %zu, strlen %zu", i, p.v[i].vlen,
		    strlen(p.v[i].val));
		for (j = 0; j < p.v[i].vlen; j++)
			FUZZ_CHECK(is_cookie_octet((unsigned char)p.v[i].val[j]),
			    "value %zu byte %zu is 0x%02x", i, j,
			    (unsigned char)p.v[i].val[j]);
		FUZZ_CHECK(strstr(h, p.v[i].key) != NULL &&
		    strstr(h, p.v[i].val) != NULL,
		    "pair %zu is not a substring of the header", i);
	}
	/* Deterministic; NULL means no cookies. */
	rc2 = parse_cookies(a, h, &q);
	FUZZ_CHECK(rc2 == rc, "second parse %d, first %d", rc2, rc);
	if (rc == PARSE_OK) {
		FUZZ_CHECK(q.n == p.n - 1, "second parse %zu pairs", q.n);
		for (i = 0; i < q.n; i++)
			FUZZ_CHECK(strcmp(q.v[i].key, p.v[i + 1].key) == 0 &&
			    strcmp(q.v[i].val, p.v[i + 1].val) == 0,
			    "second parse differs at %zu", i);
	}
	q.n = 0;
	FUZZ_CHECK(parse_cookies(a, NULL, &q) == PARSE_OK && q.n == 0,
	    "NULL header");
	free(h);
	arena_free(a);
	return 0;
}
