/*
 * itest_foundation.c: the two front doors give the same answers, and bad
 * requests get a clear page and status through both. Run by
 * tests/integration.sh, which starts `zizhi serve` (ZIZHI_SERVE_URL) and
 * nginx in front of `zizhi fcgi` (ZIZHI_FCGI_URL).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib_http.h"

static const char *door_names[2] = { "serve", "nginx+fcgi" };
static struct http_client *doors[2];

static int
setup(void **state)
{
	doors[0] = http_client_new(getenv("ZIZHI_SERVE_URL"));
	doors[1] = http_client_new(getenv("ZIZHI_FCGI_URL"));
	return 0;
}

static int
teardown(void **state)
{
	http_client_free(doors[0]);
	http_client_free(doors[1]);
	return 0;
}

/* The same request through both doors: status, type and body equal. */
static void
test_same_pages(void **state)
{
	static const char *paths[] = {
		"/", "/?x=1&y=%E8%B5%84", "/static/style.css", "/no/such/page",
		"/%zz", "/?q=%E4", "/static/nope.css", "/static/../schema.sql",
		"/static/%2e%2e/schema.sql", NULL
	};
	struct http_resp a, b;
	size_t i;

	for (i = 0; paths[i] != NULL; i++) {
		http_get(doors[0], paths[i], &a);
		http_get(doors[1], paths[i], &b);
		if (a.status != b.status)
			fail_msg("%s: status %ld (serve) vs %ld (fcgi)",
			    paths[i], a.status, b.status);
		assert_non_null(a.content_type);
		assert_non_null(b.content_type);
		if (strcmp(a.content_type, b.content_type) != 0)
			fail_msg("%s: type %s vs %s", paths[i],
			    a.content_type, b.content_type);
		if (a.body.n != b.body.n ||
		    memcmp(a.body.p, b.body.p, a.body.n) != 0)
			fail_msg("%s: bodies differ (%zu vs %zu bytes)",
			    paths[i], a.body.n, b.body.n);
		http_resp_free(&a);
		http_resp_free(&b);
	}
}

static void
test_home(void **state)
{
	struct http_resp r;
	int d;

	for (d = 0; d < 2; d++) {
		http_get(doors[d], "/", &r);
		assert_int_equal(r.status, 200);
		assert_string_equal(r.content_type, "text/html; charset=utf-8");
		assert_true(http_body_has(&r, "<html lang=\"zh-CN\">"));
		assert_true(http_body_has(&r, "信息安全服务资质"));
		/* The fee table comes from the rules data. */
		assert_true(http_body_has(&r, "87,000.00"));
		assert_true(http_body_has(&r, "63,000.00"));
		assert_true(http_body_has(&r, "72,000.00"));
		assert_true(http_body_has(&r, "受理"));
		assert_true(http_body_has(&r, "发证"));
		assert_non_null(http_header(&r, "Content-Security-Policy"));
		assert_string_equal(http_header(&r, "X-Content-Type-Options"),
		    "nosniff");
		http_resp_free(&r);
	}
}

/* expect: status and a Chinese phrase of the error page, both doors. */
static void
expect(const char *method, const char *path, const char *body,
    long status, const char *phrase)
{
	struct http_resp r;
	int d;

	for (d = 0; d < 2; d++) {
		http_do(doors[d], method, path, body, body ? strlen(body) : 0,
		    body ? "application/x-www-form-urlencoded" : NULL, NULL,
		    &r);
		if (r.status != status)
			fail_msg("%s %s via %s: status %ld, want %ld", method,
			    path, door_names[d], r.status, status);
		if (phrase != NULL && !http_body_has(&r, phrase))
			fail_msg("%s %s via %s: no \"%s\" in the page", method,
			    path, door_names[d], phrase);
		assert_string_equal(r.content_type,
		    "text/html; charset=utf-8");
		http_resp_free(&r);
	}
}

static void
test_not_found(void **state)
{
	expect("GET", "/no/such/page", NULL, 404, "页面不存在");
	expect("GET", "/static/missing.css", NULL, 404, "页面不存在");
	expect("GET", "/static/../schema.sql", NULL, 400, "请求有误");
}

static void
test_bad_request(void **state)
{
	expect("GET", "/%zz", NULL, 400, "请求有误");
	expect("GET", "/%4", NULL, 400, "请求有误");
	expect("GET", "/?q=%zz", NULL, 400, "请求有误");
	expect("GET", "/?q=%C0%AF", NULL, 400, "请求有误");	/* overlong */
	expect("GET", "/a%00b", NULL, 400, "请求有误");
}

static void
test_method_not_allowed(void **state)
{
	struct http_resp r;
	int d;

	expect("POST", "/", "a=1", 405, "请求方法不被允许");
	expect("DELETE", "/", NULL, 405, "请求方法不被允许");
	for (d = 0; d < 2; d++) {
		http_do(doors[d], "POST", "/", "a=1", 3,
		    "application/x-www-form-urlencoded", NULL, &r);
		assert_string_equal(http_header(&r, "Allow"), "GET, HEAD");
		http_resp_free(&r);
	}
}

static void
test_too_large(void **state)
{
	size_t limit = strtoul(getenv("ZIZHI_MAX_BODY"), NULL, 10);
	size_t n = limit + limit / 2;
	char *big = xmalloc(n + 1);
	struct http_resp r;
	int d;

	memset(big, 'a', n);
	big[0] = 'x';
	big[1] = '=';
	big[n] = '\0';
	for (d = 0; d < 2; d++) {
		http_do(doors[d], "POST", "/", big, n,
		    "application/x-www-form-urlencoded", NULL, &r);
		if (r.status != 413)
			fail_msg("big POST via %s: %ld", door_names[d],
			    r.status);
		assert_true(http_body_has(&r, "提交的内容过大"));
		http_resp_free(&r);
		/* The door still serves afterwards. */
		http_get(doors[d], "/", &r);
		assert_int_equal(r.status, 200);
		http_resp_free(&r);
	}
	free(big);
}

static void
test_head_and_cache(void **state)
{
	struct http_resp r;
	char etag[256], inm[300];
	const char *h[2] = { inm, NULL };
	int d;

	for (d = 0; d < 2; d++) {
		http_do(doors[d], "HEAD", "/", NULL, 0, NULL, NULL, &r);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.body.n, 0);
		http_resp_free(&r);

		http_get(doors[d], "/static/style.css", &r);
		assert_int_equal(r.status, 200);
		assert_string_equal(r.content_type, "text/css; charset=utf-8");
		assert_non_null(http_header(&r, "ETag"));
		snprintf(etag, sizeof(etag), "%s", http_header(&r, "ETag"));
		assert_non_null(strstr(http_header(&r, "Cache-Control"),
		    "max-age="));
		http_resp_free(&r);

		snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
		http_do(doors[d], "GET", "/static/style.css", NULL, 0, NULL,
		    h, &r);
		assert_int_equal(r.status, 304);
		http_resp_free(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_home),
		cmocka_unit_test(test_same_pages),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_bad_request),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_head_and_cache),
	};

	return cmocka_run_group_tests_name("foundation (both doors)", tests,
	    setup, teardown);
}
