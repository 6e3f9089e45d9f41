/*
 * test_util.c: the buffers and arenas under everything (util.h): JSON
 * strings as `zizhi rules` prints them (every escape), a zero-sized
 * allocation, large allocations beside small ones, freeing nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
