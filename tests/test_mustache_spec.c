/*
 * test_mustache_spec.c: runs the Mustache specification's test data
 * (the core files and ~inheritance) through tmpl.c.
 *
 * The data is read from $MUSTACHE_SPEC (default ../shared/mustache-spec);
 * when that directory is absent the test says so and is skipped, except
 * under CI (the CI environment variable set and not empty), where the
 * data must be there and its absence fails the test.
 */
#include <sys/stat.h>

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
#include "testlib_json.h"

#define SPEC_DEFAULT	"../shared/mustache-spec"
#define SPEC_TEMPLATE	"(spec template)"

static const char *const spec_files[] = {
	"comments.json",
	"delimiters.json",
	"interpolation.json",
	"inverted.json",
	"partials.json",
	"sections.json",
	"~inheritance.json",
};

/* Integral numbers print as integers, others as %.15g (1.210 is 1.21). */
static struct tv *
number_tv(struct arena *a, double d)
{
	if (d >= -1e15 && d <= 1e15 && (double)(long long)d == d)
		return tv_str(a, arena_printf(a, "%lld", (long long)d));
	return tv_str(a, arena_printf(a, "%.15g", d));
}

static struct tv *
to_tv(struct arena *a, const struct json *j)
{
	struct tv *v;
	size_t i;

	switch (j->type) {
	case JSON_BOOL:
		return tv_bool(a, j->b);
	case JSON_NUMBER:
		return number_tv(a, j->num);
	case JSON_STRING:
		return tv_strn(a, j->str, j->len);
	case JSON_ARRAY:
		v = tv_list(a);
		for (i = 0; i < j->n; i++)
			tv_push(v, to_tv(a, j->items[i]));
		return v;
	case JSON_OBJECT:
		v = tv_map(a);
		for (i = 0; i < j->n; i++)
			tv_put(v, j->keys[i], to_tv(a, j->items[i]));
		return v;
	default:
		return tv_null(a);
	}
}

/* Prints s as a C string literal, so whitespace differences show. */
static void
show(const char *label, const char *s, size_t n)
{
	size_t i;

	printf("    %s \"", label);
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		default:
			putchar(s[i]);
			break;
		}
	}
	puts("\"");
}

/* Runs one test case; returns whether it passed. */
static int
run_case(const char *file, const struct json *tc)
{
	const struct json *name, *tmpl, *data, *partials, *expected;
	struct tmpl_set *set;
	struct arena *a;
	struct buf out;
	char err[512];
	size_t i;
	int ok = 0;

	name = json_get(tc, "name");
	tmpl = json_get(tc, "template");
	data = json_get(tc, "data");
	partials = json_get(tc, "partials");
	expected = json_get(tc, "expected");
	if (json_string(name) == NULL || json_string(tmpl) == NULL ||
	    json_string(expected) == NULL) {
		printf("FAIL %s: a test without name, template or expected\n",
		    file);
		return 0;
	}

	set = tmpl_set_new();
	a = arena_new();
	buf_init(&out);
	err[0] = '\0';
	for (i = 0; i < json_len(partials); i++) {
		if (json_string(partials->items[i]) == NULL ||
		    tmpl_set_add(set, partials->keys[i],
		    partials->items[i]->str, partials->items[i]->len,
		    err, sizeof(err)) == -1)
			goto done;
	}
	if (tmpl_set_add(set, SPEC_TEMPLATE, tmpl->str, tmpl->len,
	    err, sizeof(err)) == -1)
		goto done;
	if (tmpl_render(set, SPEC_TEMPLATE,
	    data == NULL ? NULL : to_tv(a, data), &out, err, sizeof(err)) == -1)
		goto done;
	ok = out.n == expected->len &&
	    memcmp(out.p, expected->str, out.n) == 0;
done:
	if (!ok) {
		printf("FAIL %s: %s\n", file, name->str);
		show("template:", tmpl->str, tmpl->len);
		show("expected:", expected->str, expected->len);
		if (err[0] != '\0')
			printf("    error: %s\n", err);
		else
			show("got:     ", out.p, out.n);
	}
	buf_free(&out);
	arena_free(a);
	tmpl_set_free(set);
	return ok;
}

static void
test_spec(void **state)
{
	const char *dir = getenv("MUSTACHE_SPEC"), *ci;
	const struct json *tests;
	struct json *doc;
	struct stat sb;
	char path[4096], err[512];
	size_t f, i;
	int passed = 0, read = 0, broken = 0;

	if (dir == NULL || dir[0] == '\0')
		dir = SPEC_DEFAULT;
	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		ci = getenv("CI");
		if (ci != NULL && *ci != '\0')
			fail_msg("mustache spec: FAILED: no spec data at %s, "
			    "and CI is set: the conformance test must run "
			    "(set MUSTACHE_SPEC)", dir);
		printf("mustache spec: SKIPPED: no spec data at %s "
		    "(set MUSTACHE_SPEC)\n", dir);
		skip();
	}
	for (f = 0; f < sizeof(spec_files) / sizeof(spec_files[0]); f++) {
		snprintf(path, sizeof(path), "%s/%s", dir, spec_files[f]);
		if ((doc = json_parse_file(path, err, sizeof(err))) == NULL) {
			printf("FAIL %s\n", err);
			broken++;
			continue;
		}
		tests = json_get(doc, "tests");
		if (tests == NULL || tests->type != JSON_ARRAY) {
			printf("FAIL %s: no \"tests\" array\n", path);
			broken++;
		}
		for (i = 0; i < json_len(tests); i++) {
			read++;
			passed += run_case(spec_files[f], tests->items[i]);
		}
		json_free(doc);
	}
	printf("mustache spec: %d passed of %d read\n", passed, read);
	if (broken > 0)
		fail_msg("%d spec file(s) could not be read", broken);
	if (read == 0)
		fail_msg("no spec tests found in %s", dir);
	if (passed != read)
		fail_msg("%d of %d spec tests failed", read - passed, read);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
