/*
 * test_util.c: the buffers and arenas under everything (util.h): JSON
 * strings as `zizhi rules` prints them (every escape), a zero-sized
 * allocation, large allocations beside small ones, freeing nothing;
 * numbers written by hand as printf writes them; HTML escaping (runs
 * copied at once) as a byte-by-byte escaper does it, each special
 * character at every place of strings of every length to 40.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

static void
test_json_escapes(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_json(&b, "a\"b\\c\nd\re\tf\bg\fh\x01i\x1f" "j 资质");
	buf_putc(&b, '\0');
	assert_string_equal(b.p, "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i"
	    "\\u001fj 资质\"");
	buf_reset(&b);
	buf_json(&b, "");
	assert_int_equal(b.n, 2);
	assert_memory_equal(b.p, "\"\"", 2);
	buf_free(&b);
}

static void
test_arena(void **state)
{
	struct arena *a = arena_new();
	char *small, *big, *after, *s;
	size_t i;

	(void)state;
	/* A zero-sized allocation is a usable, distinct pointer. */
	small = arena_alloc(a, 0);
	after = arena_alloc(a, 0);
	assert_non_null(small);
	assert_ptr_not_equal(small, after);
	/* Larger than a block: its own block; the small ones go on. */
	big = arena_alloc(a, 1 << 20);
	memset(big, 'x', 1 << 20);
	after = arena_strdup(a, "after");
	assert_string_equal(after, "after");
	for (i = 0; i < (1 << 20); i += 4096)
		assert_int_equal(big[i], 'x');
	s = arena_printf(a, "%s-%d", "资质", 42);
	assert_string_equal(s, "资质-42");
	s = arena_strndup(a, "abcdef", 3);
	assert_string_equal(s, "abc");
	arena_free(a);
	arena_free(NULL);	/* nothing to free: a no-op */
}

static void
test_putu(void **state)
{
	static const unsigned long long v[] = { 0, 7, 10, 200, 4096,
	    1234567890123ULL, 18446744073709551615ULL };
	char want[32];
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_reset(&b);
		buf_puts(&b, "n=");
		buf_putu(&b, v[i]);
		snprintf(want, sizeof(want), "n=%llu", v[i]);
		assert_string_equal(b.p, want);
	}
	buf_free(&b);
}

/* The plain escaper buf_html must agree with. */
static void
html_plain(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_add(b, s + i, 1);
		}
	}
}

static void
test_html(void **state)
{
	static const char specials[] = "&<>\"'", fill[] =
	    "资质 ab%;=\x7f\x80\xff!?-";
	char s[48];
	struct buf got, want;
	size_t len, at, k, i;

	(void)state;
	buf_init(&got);
	buf_init(&want);
	for (len = 0; len <= 40; len++) {
		for (at = 0; at <= len; at++) {
			for (k = 0; k < sizeof(specials); k++) {
				for (i = 0; i < len; i++)
					s[i] = fill[(i * 7 + len) %
					    (sizeof(fill) - 1)];
				/* k == 5: no special at all; a second one
				 * 9 bytes later when it fits. */
				if (at < len && k < 5) {
					s[at] = specials[k];
					if (at + 9 < len)
						s[at + 9] = specials[(k + 1) %
						    5];
				}
				buf_reset(&got);
				buf_reset(&want);
				buf_puts(&got, "");
				buf_puts(&want, "");
				buf_html(&got, s, len);
				html_plain(&want, s, len);
				assert_int_equal(got.n, want.n);
				assert_memory_equal(got.p, want.p, got.n);
			}
		}
	}
	buf_free(&got);
	buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_putu),
		cmocka_unit_test(test_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
