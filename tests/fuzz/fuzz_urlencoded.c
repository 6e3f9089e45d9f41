/*
 * fuzz_urlencoded: parse_urlencoded (query strings and form bodies) and
 * url_decode on arbitrary bytes.
 *
 * Invariants: on PARSE_OK every key is non-empty, every key and value is
 * valid UTF-8 and NUL-free, vlen is the value's length, and no more than
 * PARSE_MAX_PARAMS pairs were added; on any error the list is exactly as
 * before the call (a pair put there first survives untouched). url_decode
 * never grows its input, and a success is NUL-free, valid UTF-8 and the
 * same whether done in place or into a fresh buffer.
 */
#include "fuzz_common.h"
#include "parse.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct params p = { NULL, 0, 0 };
	char *s = fuzz_memdup(data, size), *out, *inplace;
	size_t i, klen;
	long n, n2;
	int rc, plus = size > 0 ? data[size - 1] & 1 : 0;

	/* A pair already in the list must survive any outcome. */
	params_add(a, &p, "before", "kept", 4);
	rc = parse_urlencoded(a, s, size, &p);
	FUZZ_CHECK(rc == PARSE_OK || rc == PARSE_MALFORMED ||
	    rc == PARSE_TOO_MANY || rc == PARSE_TOO_LARGE, "rc %d", rc);
	FUZZ_CHECK(p.n >= 1 && strcmp(p.v[0].key, "before") == 0 &&
	    strcmp(p.v[0].val, "kept") == 0 && p.v[0].vlen == 4,
	    "the pair added before the call changed");
	if (rc != PARSE_OK)
		FUZZ_CHECK(p.n == 1, "error %d left %zu pairs", rc, p.n);
	else
		FUZZ_CHECK(p.n - 1 <= PARSE_MAX_PARAMS, "%zu pairs", p.n - 1);
	for (i = 1; i < p.n; i++) {
		klen = strlen(p.v[i].key);
		FUZZ_CHECK(klen > 0, "pair %zu has an empty key", i);
		FUZZ_CHECK(utf8_valid(p.v[i].key, klen), "key %zu not UTF-8", i);
		FUZZ_CHECK(strlen(p.v[i].val) == p.v[i].vlen,
		    "value %zu has a NUL or a wrong vlen (%zu vs %zu)", i,
		    strlen(p.v[i].val), p.v[i].vlen);
		FUZZ_CHECK(utf8_valid(p.v[i].val, p.v[i].vlen),
		    "value %zu not UTF-8", i);
		FUZZ_CHECK(p.v[i].vlen <= size, "value longer than input");
		FUZZ_CHECK(params_get(&p, p.v[i].key) != NULL,
		    "params_get misses key %zu", i);
	}

	/* url_decode, both plus modes, into a fresh buffer and in place. */
	if (size <= PARSE_MAX_URLENCODED) {
		out = malloc(size + 1);
		inplace = fuzz_strndup(data, size);
		if (out == NULL)
			abort();
		n = url_decode(s, size, out, plus);
		n2 = url_decode(inplace, size, inplace, plus);
		FUZZ_CHECK(n == n2, "in-place decode differs: %ld vs %ld", n, n2);
		if (n >= 0) {
			FUZZ_CHECK((size_t)n <= size, "decode grew: %ld > %zu",
			    n, size);
			FUZZ_CHECK(out[n] == '\0', "not NUL-terminated");
			FUZZ_CHECK(fuzz_nul_free(out, (size_t)n), "NUL inside");
			FUZZ_CHECK(utf8_valid(out, (size_t)n), "not UTF-8");
			FUZZ_CHECK(memcmp(out, inplace, (size_t)n + 1) == 0,
			    "in-place decode gives other bytes");
		}
		free(out);
		free(inplace);
	}
	free(s);
	arena_free(a);
	return 0;
}
