/*
 * test_svg.c: the server-side bar chart (src/svg.c): text is escaped,
 * bars scale to the largest value, empty data says so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "svg.h"

static int
has(const struct buf *b, const char *s)
{
	return b->p != NULL && strstr(b->p, s) != NULL;
}

static int
count(const struct buf *b, const char *s)
{
	const char *p = b->p;
	int n = 0;

	while (p != NULL && (p = strstr(p, s)) != NULL) {
		n++;
		p += strlen(s);
	}
	return n;
}

static void
test_escapes(void **state)
{
	const struct svg_bar bars[] = {
		{ "<script>alert(1)</script>", 3 },
		{ "A&B \"q\" 'x'", 1 },
	};
	struct buf b;

	buf_init(&b);
	svg_bar_chart(&b, "标题<b>&", bars, 2);
	assert_false(has(&b, "<script>"));
	assert_false(has(&b, "<b>"));
	assert_true(has(&b, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_true(has(&b, "A&amp;B &quot;q&quot; &#39;x&#39;") ||
	    has(&b, "A&amp;B &quot;q&quot; &#x27;x&#x27;"));
	assert_true(has(&b, "<title>标题&lt;b&gt;&amp;</title>"));
	/* A well-formed element: one root, role for screen readers. */
	assert_int_equal(count(&b, "<svg "), 1);
	assert_int_equal(count(&b, "</svg>"), 1);
	assert_true(has(&b, "role=\"img\""));
	buf_free(&b);
}

static void
test_scale(void **state)
{
	const struct svg_bar bars[] = {
		{ "甲", 10 }, { "乙", 5 }, { "丙", 0 }, { "丁", 1 }, { "戊", -4 },
	};
	struct buf b;

	buf_init(&b);
	svg_bar_chart(&b, "比例", bars, 5);
	assert_int_equal(count(&b, "<rect "), 5);
	assert_true(has(&b, "width=\"400\" height"));
	assert_true(has(&b, "width=\"200\" height"));
	assert_true(has(&b, "width=\"40\" height"));
	assert_int_equal(count(&b, "width=\"0\" height"), 2);
	assert_true(has(&b, ">10</text>"));
	assert_true(has(&b, ">0</text>"));	/* a negative value shows 0 */
	buf_free(&b);

	assert_int_equal(svg_bar_width(10, 10), SVG_BAR_W);
	assert_int_equal(svg_bar_width(5, 10), SVG_BAR_W / 2);
	assert_int_equal(svg_bar_width(1, 3), 133);	/* rounded */
	assert_int_equal(svg_bar_width(2, 3), 267);
	assert_int_equal(svg_bar_width(1, 1000000), 1);	/* visible */
	assert_int_equal(svg_bar_width(0, 10), 0);
	assert_int_equal(svg_bar_width(-1, 10), 0);
	assert_int_equal(svg_bar_width(3, 0), 0);
	assert_int_equal(svg_bar_width(4000000000LL, 4000000000LL),
	    SVG_BAR_W);
	assert_int_equal(svg_bar_width(2000000000LL, 4000000000LL),
	    SVG_BAR_W / 2);
}

static void
test_empty(void **state)
{
	const struct svg_bar zero[] = { { "甲", 0 }, { "乙", 0 } };
	struct buf b;

	buf_init(&b);
	svg_bar_chart(&b, "空", NULL, 0);
	assert_true(has(&b, "暂无数据"));
	assert_false(has(&b, "<rect"));
	assert_true(has(&b, "</svg>"));
	buf_free(&b);

	/* All zero: rows with empty bars, no division by zero. */
	buf_init(&b);
	svg_bar_chart(&b, "零", zero, 2);
	assert_false(has(&b, "暂无数据"));
	assert_int_equal(count(&b, "width=\"0\" height"), 2);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests_name("svg", tests, NULL, NULL);
}
