/*
 * test_tmpl.c: unit tests of the template engine beyond the Mustache
 * spec: escaping, hostile values, errors and limits, layouts, views.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmpl.h"
#include "util.h"

/* Adds a template that must parse. */
static void
add(struct tmpl_set *set, const char *name, const char *src)
{
	char err[256];

	if (tmpl_set_add(set, name, src, strlen(src), err, sizeof(err)) == -1)
		fail_msg("template %s: %s", name, err);
}

/* Renders name into a fresh buffer and compares it with want. */
static void
expect(const struct tmpl_set *set, const char *name, const struct tv *view,
    const char *want)
{
	struct buf out;
	char err[256];

	buf_init(&out);
	if (tmpl_render(set, name, view, &out, err, sizeof(err)) == -1)
		fail_msg("render %s: %s", name, err);
	assert_string_equal(out.p, want);
	buf_free(&out);
}

/* One template, one view: the output. */
static void
expect1(const char *src, const struct tv *view, const char *want)
{
	struct tmpl_set *set = tmpl_set_new();

	add(set, "t", src);
	expect(set, "t", view, want);
	tmpl_set_free(set);
}

/* Plain-text rendering writes values as they are, HTML rendering of the
 * same set still escapes. */
static void
test_render_text(void **state)
{
	struct arena *a = arena_new();
	struct tv *v = tv_map(a);
	struct tmpl_set *set = tmpl_set_new();
	struct buf out;
	char err[128];

	tv_put_str(v, "org", "A&B <公司>");
	add(set, "t", "单位：{{org}}\n");
	buf_init(&out);
	assert_int_equal(tmpl_render_text(set, "t", v, &out, err,
	    sizeof(err)), 0);
	assert_string_equal(out.p, "单位：A&B <公司>\n");
	buf_free(&out);
	expect(set, "t", v, "单位：A&amp;B &lt;公司&gt;\n");
	tmpl_set_free(set);
	arena_free(a);
}

static void
test_escape_all_five(void **state)
{
	struct arena *a = arena_new();
	struct tv *v = tv_map(a);

	tv_put_str(v, "x", "a&b<c>d\"e'f");
	expect1("{{x}}", v, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	expect1("{{ x }}", v, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	/* The implicit iterator escapes too. */
	expect1("{{#x}}{{.}}{{/x}}", v, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	arena_free(a);
}

static void
test_raw(void **state)
{
	struct arena *a = arena_new();
	struct tv *v = tv_map(a);

	tv_put_str(v, "x", "<b>&'\"</b>");
	expect1("{{{x}}}", v, "<b>&'\"</b>");
	expect1("{{& x}}", v, "<b>&'\"</b>");
	expect1("{{=<% %>=}}<%{x}%>|<%&x%>|<%x%>", v,
	    "<b>&'\"</b>|<b>&'\"</b>|&lt;b&gt;&amp;&#39;&quot;&lt;/b&gt;");
	arena_free(a);
}

static void
test_hostile_values(void **state)
{
	struct arena *a = arena_new();
	struct tv *v = tv_map(a);

	tv_put_str(v, "x", "{{y}}");
	tv_put_str(v, "y", "boom");
	tv_put_str(v, "s", "<script>alert(1)</script>");
	tv_put_str(v, "p", "{{>t}}");
	tv_put_str(v, "d", "{{=<% %>=}}<%y%>");
	/* Values are never expanded again, escaped or not. */
	expect1("{{x}}|{{{x}}}|{{&p}}|{{d}}", v,
	    "{{y}}|{{y}}|{{>t}}|{{=&lt;% %&gt;=}}&lt;%y%&gt;");
	expect1("<p>{{s}}</p>", v,
	    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	expect1("<a title='{{s}}'>", v,
	    "<a title='&lt;script&gt;alert(1)&lt;/script&gt;'>");
	/* A key that looks like a tag is just a key. */
	tv_put_str(v, "{{y}}", "key");
	expect1("[{{x}}]", v, "[{{y}}]");
	arena_free(a);
}

static void
parse_error(const char *src, const char *want)
{
	struct tmpl_set *set = tmpl_set_new();
	char err[256];

	strcpy(err, "untouched");
	assert_int_equal(tmpl_set_add(set, "page.html", src, strlen(src),
	    err, sizeof(err)), -1);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("for %s: wanted \"%s...\", got \"%s\"", src, want, err);
	assert_false(tmpl_exists(set, "page.html"));
	tmpl_set_free(set);
}

static void
test_parse_errors(void **state)
{
	parse_error("a\nb\n{{#s}}\nx\n", "page.html:3: section \"s\" is not closed");
	parse_error("a\n{{#s}}\n{{/t}}\n", "page.html:3: close tag \"t\" does not match");
	parse_error("one\ntwo\n{{/t}}", "page.html:3: close tag \"t\" without");
	parse_error("x\ny\n{{name", "page.html:3: unclosed tag");
	parse_error("{{{x}}", "page.html:1: unclosed tag");
	parse_error("\n{{=<% %>=}}\n<%x}}", "page.html:3: unclosed tag");
	parse_error("\n\n\n\n{{=a=}}", "page.html:5: bad delimiters");
	parse_error("{{= a b c =}}", "page.html:1: bad delimiters");
	parse_error("{{=a= b=}}", "page.html:1: bad delimiters");
	parse_error("{{}}", "page.html:1: bad name");
	parse_error("{{a b}}", "page.html:1: bad name");
	parse_error("{{a..b}}", "page.html:1: bad name");
	parse_error("{{#}}{{/}}", "page.html:1: bad name");
	parse_error("{{<p}}\n{{$b}}\n{{/p}}", "page.html:3: close tag \"p\" does not match \"b\"");
	/* A multi-line comment counts its lines. */
	parse_error("{{!\n\n}}{{#a}}", "page.html:3: section \"a\"");
}

static void
test_parse_error_keeps_old(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	char err[256];

	add(set, "t", "old");
	assert_int_equal(tmpl_set_add(set, "t", "{{#x}}", 6, err,
	    sizeof(err)), -1);
	expect(set, "t", NULL, "old");
	/* Adding again under a name replaces the template. */
	add(set, "t", "new");
	expect(set, "t", NULL, "new");
	tmpl_set_free(set);
}

static void
test_depth_limit(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct arena *a = arena_new();
	struct tv *v = tv_map(a), *node;
	struct buf out;
	char err[256];
	int i;

	add(set, "self", "x{{>self}}");
	add(set, "a", "{{<b}}{{/b}}");
	add(set, "b", "{{>a}}");
	buf_init(&out);
	buf_puts(&out, "kept");
	assert_int_equal(tmpl_render(set, "self", NULL, &out, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "nesting deeper than"));
	/* What was in the buffer stays; no half page is added. */
	assert_string_equal(out.p, "kept");
	assert_int_equal(tmpl_render(set, "a", NULL, &out, err,
	    sizeof(err)), -1);
	assert_string_equal(out.p, "kept");

	/* Recursion that ends within the limit renders. */
	add(set, "tree", "({{name}}{{#kids}}{{>tree}}{{/kids}})");
	node = v;
	for (i = 0; i < 10; i++) {
		tv_put_int(node, "name", i);
		node = tv_push_map(tv_put_list(node, "kids"));
	}
	tv_put_str(node, "name", "leaf");
	/* Without its own (empty) list the leaf would see its parent's. */
	tv_put_list(node, "kids");
	buf_reset(&out);
	assert_int_equal(tmpl_render(set, "tree", v, &out, err,
	    sizeof(err)), 0);
	assert_string_equal(out.p,
	    "(0(1(2(3(4(5(6(7(8(9(leaf)))))))))))");

	/* Deep data beyond the limit fails cleanly too. */
	node = v;
	for (i = 0; i < TMPL_MAX_DEPTH; i++)
		node = tv_push_map(tv_put_list(node, "kids"));
	tv_put_list(node, "kids");
	buf_reset(&out);
	assert_int_equal(tmpl_render(set, "tree", v, &out, err,
	    sizeof(err)), -1);
	assert_string_equal(out.p, "");
	buf_free(&out);
	arena_free(a);
	tmpl_set_free(set);
}

static void
test_output_limit(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct arena *a = arena_new();
	struct tv *v = tv_map(a), *list;
	size_t n = 1024 * 1024, i;
	char *big = xmalloc(n + 1), err[256];
	struct buf out;

	memset(big, 'x', n);
	big[n] = '\0';
	tv_put_str(v, "big", big);
	list = tv_put_list(v, "l");
	for (i = 0; i < TMPL_MAX_OUTPUT / n + 1; i++)
		tv_push(list, tv_bool(a, 1));
	add(set, "raw", "{{#l}}{{{big}}}{{/l}}");
	add(set, "esc", "{{#l}}{{big}}{{/l}}");
	buf_init(&out);
	assert_int_equal(tmpl_render(set, "raw", v, &out, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "output larger than"));
	assert_int_equal(out.n, 0);
	assert_int_equal(tmpl_render(set, "esc", v, &out, err,
	    sizeof(err)), -1);
	assert_int_equal(out.n, 0);
	buf_free(&out);
	free(big);
	arena_free(a);
	tmpl_set_free(set);
}

static void
test_inheritance_layout(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct arena *a = arena_new();
	struct tv *v = tv_map(a);

	add(set, "layout",
	    "<title>{{$title}}default{{/title}}</title>\n"
	    "<body>{{$body}}{{/body}}</body>\n");
	add(set, "page",
	    "{{<layout}}{{$title}}T{{/title}}{{$body}}B{{/body}}{{/layout}}");
	expect(set, "page", NULL, "<title>T</title>\n<body>B</body>\n");
	expect(set, "layout", NULL, "<title>default</title>\n<body></body>\n");

	/* The usual shape: blocks on their own lines, values escaped. */
	add(set, "layout2",
	    "<html>\n"
	    "<head><title>{{$title}}zizhi{{/title}}</title></head>\n"
	    "<body>\n"
	    "  {{$body}}{{/body}}\n"
	    "</body>\n"
	    "</html>\n");
	add(set, "page2",
	    "{{<layout2}}\n"
	    "{{$title}}{{name}} - zizhi{{/title}}\n"
	    "{{$body}}\n"
	    "<h1>{{name}}</h1>\n"
	    "<p>hi</p>\n"
	    "{{/body}}\n"
	    "{{/layout2}}\n");
	tv_put_str(v, "name", "A&B");
	expect(set, "page2", v,
	    "<html>\n"
	    "<head><title>A&amp;B - zizhi</title></head>\n"
	    "<body>\n"
	    "  <h1>A&amp;B</h1>\n"
	    "  <p>hi</p>\n"
	    "\n"
	    "</body>\n"
	    "</html>\n");
	/* A missing parent renders as nothing, like a missing partial. */
	add(set, "orphan", "[{{<nothere}}{{$a}}x{{/a}}{{/nothere}}{{>gone}}]");
	expect(set, "orphan", NULL, "[]");
	arena_free(a);
	tmpl_set_free(set);
}

static void
test_tv_put_replace(void **state)
{
	struct arena *a = arena_new();
	struct tv *v = tv_map(a);
	char key[32];
	int i;

	tv_put_str(v, "a", "1");
	tv_put_str(v, "b", "2");
	tv_put_str(v, "a", "3");
	assert_int_equal(tv_len(v), 2);
	assert_string_equal(tv_string(tv_get(v, "a")), "3");
	expect1("{{a}}{{b}}", v, "32");
	/* Replacing keeps the key's place. */
	tv_put_bool(v, "a", 0);
	assert_int_equal(tv_kind(tv_get(v, "a")), TV_BOOL);
	assert_null(tv_string(tv_get(v, "a")));
	assert_null(tv_get(v, "c"));

	/* Large maps use a hash index; replacing must still work. */
	for (i = 0; i < 200; i++) {
		/* Keys are not copied: they live in the view's arena. */
		tv_put_int(v, arena_printf(a, "k%d", i), i);
	}
	for (i = 0; i < 200; i += 7) {
		tv_put_int(v, arena_printf(a, "k%d", i), -i);
	}
	assert_int_equal(tv_len(v), 202);
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		snprintf(key + 16, 16, "%d", i % 7 == 0 ? -i : i);
		assert_string_equal(tv_string(tv_get(v, key)), key + 16);
	}
	expect1("{{k0}} {{k7}} {{k8}} {{k199}}", v, "0 -7 8 199");
	arena_free(a);
}

static void
test_view_values(void **state)
{
	struct arena *a = arena_new();
	struct tv *v = tv_map(a), *l, *m;

	tv_put_str(v, "empty", "");
	tv_put_str(v, "zero", "0");
	tv_put_int(v, "neg", -42);
	tv_put_bool(v, "yes", 1);
	tv_put_bool(v, "no", 0);
	tv_put(v, "nil", tv_null(a));
	tv_put(v, "null", NULL);
	l = tv_put_list(v, "l");
	tv_push(l, tv_str(a, "a"));
	tv_push(l, tv_str(a, "b"));
	m = tv_push_map(l);
	tv_put_str(m, "x", "c");
	tv_put_list(v, "none");
	tv_put_map(v, "map");

	assert_int_equal(tv_kind(NULL), TV_NULL);
	assert_int_equal(tv_kind(tv_get(v, "null")), TV_NULL);
	assert_int_equal(tv_len(l), 3);
	assert_string_equal(tv_string(tv_get(v, "neg")), "-42");
	/* Empty strings, empty lists, false and null are false. */
	expect1("{{#empty}}E{{/empty}}{{^empty}}e{{/empty}}"
	    "{{#zero}}Z{{/zero}}{{#yes}}Y{{/yes}}{{^no}}n{{/no}}"
	    "{{^nil}}0{{/nil}}{{^null}}0{{/null}}{{^none}}-{{/none}}"
	    "{{#map}}M{{/map}}{{^missing}}?{{/missing}}", v, "eZYn00-M?");
	expect1("{{#l}}[{{.}}{{x}}]{{/l}} {{neg}} {{yes}}", v,
	    "[a][b][c] -42 true");
	expect1("{{#l}}{{neg}}{{/l}}", v, "-42-42-42");
	arena_free(a);
}

static void
test_render_twice(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct arena *a = arena_new();
	struct tv *v = tv_map(a), *l;
	struct buf one, two;
	char err[256];
	int i;

	add(set, "item", "  <li>{{n}}</li>\n");
	add(set, "p", "{{<base}}{{$b}}\n<ul>\n{{#l}}\n  {{>item}}\n{{/l}}\n"
	    "</ul>\n{{/b}}{{/base}}");
	add(set, "base", "<main>\n  {{$b}}{{/b}}\n</main>\n");
	l = tv_put_list(v, "l");
	for (i = 0; i < 3; i++)
		tv_put_int(tv_push_map(l), "n", i);
	buf_init(&one);
	buf_init(&two);
	assert_int_equal(tmpl_render(set, "p", v, &one, err, sizeof(err)), 0);
	assert_int_equal(tmpl_render(set, "p", v, &two, err, sizeof(err)), 0);
	assert_string_equal(one.p, two.p);
	assert_string_equal(one.p,
	    "<main>\n"
	    "  <ul>\n"
	    "      <li>0</li>\n"
	    "      <li>1</li>\n"
	    "      <li>2</li>\n"
	    "  </ul>\n"
	    "\n"
	    "</main>\n");
	/* Render appends. */
	assert_int_equal(tmpl_render(set, "p", v, &one, err, sizeof(err)), 0);
	assert_int_equal(one.n, 2 * two.n);
	assert_memory_equal(one.p + two.n, two.p, two.n);
	buf_free(&one);
	buf_free(&two);
	arena_free(a);
	tmpl_set_free(set);
}

struct job {
	const struct tmpl_set	*set;
	const struct tv		*view;
	const char		*want;
	int			 ok;
};

static void *
render_many(void *arg)
{
	struct job *j = arg;
	struct buf out;
	char err[256];
	int i;

	buf_init(&out);
	j->ok = 1;
	for (i = 0; i < 200; i++) {
		buf_reset(&out);
		if (tmpl_render(j->set, "page", j->view, &out, err,
		    sizeof(err)) == -1 || strcmp(out.p, j->want) != 0)
			j->ok = 0;
	}
	buf_free(&out);
	return NULL;
}

/* One set, several threads: the same output every time. */
static void
test_concurrent_renders(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct arena *a = arena_new();
	struct tv *v = tv_map(a), *l;
	struct job jobs[4];
	pthread_t th[4];
	struct buf want;
	char err[256];
	int i;

	add(set, "row", "<td>{{.}}</td>\n");
	add(set, "layout", "<h1>{{$t}}{{/t}}</h1>\n  {{$b}}{{/b}}\n");
	add(set, "page", "{{<layout}}{{$t}}{{title}}{{/t}}\n{{$b}}\n"
	    "{{#l}}\n  {{>row}}\n{{/l}}\n{{/b}}\n{{/layout}}");
	tv_put_str(v, "title", "<x>");
	l = tv_put_list(v, "l");
	for (i = 0; i < 50; i++)
		tv_push(l, tv_str(a, arena_printf(a, "%d", i)));
	buf_init(&want);
	assert_int_equal(tmpl_render(set, "page", v, &want, err,
	    sizeof(err)), 0);
	assert_non_null(strstr(want.p, "<h1>&lt;x&gt;</h1>\n    <td>0</td>\n"));
	for (i = 0; i < 4; i++) {
		jobs[i].set = set;
		jobs[i].view = v;
		jobs[i].want = want.p;
		assert_int_equal(pthread_create(&th[i], NULL, render_many,
		    &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(jobs[i].ok);
	}
	buf_free(&want);
	arena_free(a);
	tmpl_set_free(set);
}

static void
test_unknown_template(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out;
	char err[256];

	add(set, "known", "k");
	assert_true(tmpl_exists(set, "known"));
	assert_false(tmpl_exists(set, "nope"));
	buf_init(&out);
	assert_int_equal(tmpl_render(set, "nope", NULL, &out, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "nope"));
	assert_int_equal(out.n, 0);
	/* A NULL err is allowed. */
	assert_int_equal(tmpl_render(set, "nope", NULL, &out, NULL, 0), -1);
	buf_free(&out);
	tmpl_set_free(set);
}

static void
test_partial_indent(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct arena *a = arena_new();
	struct tv *v = tv_map(a);

	/* Indentation goes on template lines, not inside values. */
	tv_put_str(v, "x", "a\nb");
	add(set, "p", "<p>\n{{x}}\n</p>\n");
	add(set, "q", "  {{>p}}\n    {{>p}}\n");
	add(set, "r", "<div>\n  {{>q}}\n</div>\n");
	expect(set, "q", v, "  <p>\n  a\nb\n  </p>\n    <p>\n    a\nb\n    </p>\n");
	expect(set, "r", v, "<div>\n    <p>\n    a\nb\n    </p>\n"
	    "      <p>\n      a\nb\n      </p>\n</div>\n");
	arena_free(a);
	tmpl_set_free(set);
}

/* Rows of a list in different key orders, a row without the name (it
 * comes from the outer context then), a row whose value replaced
 * another: each row gives its own value, whatever the row before it
 * held (the renderer remembers where it found a name last). */
static void
test_row_lookups(void **state)
{
	struct arena *a = arena_new();
	struct tv *v = tv_map(a), *rows, *r;
	int i;

	(void)state;
	tv_put_str(v, "name", "outer");
	rows = tv_put_list(v, "rows");
	r = tv_push_map(rows);
	tv_put_str(r, "name", "a");
	tv_put_int(r, "x", 1);
	r = tv_push_map(rows);
	tv_put_int(r, "x", 2);
	tv_put_str(r, "name", "b");
	r = tv_push_map(rows);
	tv_put_int(r, "x", 3);
	r = tv_push_map(rows);
	tv_put_str(r, "name", "d");
	tv_put_str(r, "name", "e");
	r = tv_push_map(rows);
	tv_put_str(r, "nome", "f");
	tv_put_str(r, "x", "5");
	for (i = 0; i < 2; i++)
		expect1("{{#rows}}{{name}}{{x}},{{/rows}}", v,
		    "a1,b2,outer3,e,outer5,");
	/* Keys that differ only in length, the empty one too: each found,
	 * each replaced in place. */
	r = tv_map(a);
	tv_put_str(r, "", "e1");
	tv_put_str(r, "n", "1");
	tv_put_str(r, "nn", "2");
	tv_put_str(r, "", "e2");
	tv_put_str(r, "nn", "3");
	assert_int_equal(tv_len(r), 3);
	assert_string_equal(tv_string(tv_get(r, "")), "e2");
	assert_string_equal(tv_string(tv_get(r, "n")), "1");
	assert_string_equal(tv_string(tv_get(r, "nn")), "3");
	assert_null(tv_get(r, "nnn"));
	assert_null(tv_get(r, "m"));
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_all_five),
		cmocka_unit_test(test_render_text),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_hostile_values),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_error_keeps_old),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_inheritance_layout),
		cmocka_unit_test(test_tv_put_replace),
		cmocka_unit_test(test_view_values),
		cmocka_unit_test(test_render_twice),
		cmocka_unit_test(test_concurrent_renders),
		cmocka_unit_test(test_unknown_template),
		cmocka_unit_test(test_partial_indent),
		cmocka_unit_test(test_row_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
