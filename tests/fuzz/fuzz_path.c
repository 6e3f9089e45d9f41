/*
 * fuzz_path: path_normalise on an arbitrary raw request path.
 *
 * Invariants on a result: it starts with '/', never contains "//",
 * "/./", "/../", a trailing "/." or "/..", a backslash, a NUL, a control
 * byte or DEL; it is valid UTF-8; it is a fixed point (normalising it
 * again gives it back unchanged, once '%' is escaped); it is not longer
 * than the input. A refusal is NULL: input not starting with '/', empty,
 * or longer than PARSE_MAX_PATH must be refused.
 */
#include "fuzz_common.h"
#include "parse.h"
#include "util.h"

static int
ends_with(const char *s, size_t n, const char *t)
{
	size_t tn = strlen(t);

	return n >= tn && memcmp(s + n - tn, t, tn) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	char *raw = fuzz_memdup(data, size), *esc;
	const char *r, *r2;
	size_t n, i, o;

	r = path_normalise(a, raw, size);
	if (size == 0 || data[0] != '/' || size > PARSE_MAX_PATH)
		FUZZ_CHECK(r == NULL, "should refuse, gave \"%s\"", r);
	if (r != NULL) {
		n = strlen(r);
		FUZZ_CHECK(n > 0 && r[0] == '/', "no leading slash: \"%s\"", r);
		FUZZ_CHECK(n <= size, "longer than input: %zu > %zu", n, size);
		FUZZ_CHECK(strstr(r, "//") == NULL, "\"//\" in \"%s\"", r);
		FUZZ_CHECK(strstr(r, "/./") == NULL, "\"/./\" in \"%s\"", r);
		FUZZ_CHECK(strstr(r, "/../") == NULL, "\"/../\" in \"%s\"", r);
		FUZZ_CHECK(!ends_with(r, n, "/.."), "ends \"/..\": \"%s\"", r);
		FUZZ_CHECK(!ends_with(r, n, "/."), "ends \"/.\": \"%s\"", r);
		FUZZ_CHECK(strchr(r, '\\') == NULL, "backslash in \"%s\"", r);
		for (i = 0; i < n; i++)
			FUZZ_CHECK((unsigned char)r[i] >= 0x20 && r[i] != 0x7f,
			    "control byte 0x%02x at %zu", (unsigned char)r[i], i);
		FUZZ_CHECK(utf8_valid(r, n), "not UTF-8: \"%s\"", r);
		/* A fixed point: escape '%' so it is not decoded again. */
		esc = malloc(3 * n + 1);
		if (esc == NULL)
			abort();
		for (i = o = 0; i < n; i++) {
			if (r[i] == '%') {
				memcpy(esc + o, "%25", 3);
				o += 3;
			} else
				esc[o++] = r[i];
		}
		if (o <= PARSE_MAX_PATH) {
			r2 = path_normalise(a, esc, o);
			FUZZ_CHECK(r2 != NULL && strcmp(r, r2) == 0,
			    "not a fixed point: \"%s\" -> \"%s\"", r,
			    r2 ? r2 : "(refused)");
		}
		free(esc);
	}
	free(raw);
	arena_free(a);
	return 0;
}
