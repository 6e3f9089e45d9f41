/*
 * test_http.c: building responses (http.h): the status line's reason
 * phrase both doors send, headers set once and replaced by name in any
 * case, redirects that drop a body already written, and a static body
 * served instead of the buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

static void
test_reasons(void **state)
{
	static const struct {
		int		 status;
		const char	*reason;
	} cases[] = {
		{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
		{ 303, "See Other" }, { 304, "Not Modified" },
		{ 400, "Bad Request" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" },
		{ 409, "Conflict" }, { 413, "Content Too Large" },
		{ 415, "Unsupported Media Type" },
		{ 429, "Too Many Requests" },
		{ 500, "Internal Server Error" },
		{ 503, "Service Unavailable" },
		/* A status without a phrase here still gets a token. */
		{ 418, "Unknown" }, { 0, "Unknown" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(http_reason(cases[i].status),
		    cases[i].reason);
}

static void
test_headers(void **state)
{
	struct response r;

	(void)state;
	response_init(&r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/html; charset=utf-8");
	assert_null(response_get_header(&r, "Cache-Control"));
	response_header(&r, "Cache-Control", "no-store");
	response_header(&r, "X-Frame-Options", "DENY");
	assert_int_equal(r.nheaders, 2);
	/* Set again under another spelling: replaced, not doubled. */
	response_header(&r, "cache-control", "private");
	assert_int_equal(r.nheaders, 2);
	assert_string_equal(response_get_header(&r, "CACHE-CONTROL"),
	    "private");
	assert_string_equal(response_get_header(&r, "x-frame-options"),
	    "DENY");
	response_free(&r);
}

static void
test_redirect_and_data(void **state)
{
	struct response r;
	const char *p;
	size_t len = 99;

	(void)state;
	response_init(&r);
	p = response_data(&r, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	buf_printf(&r.body, "half a page");
	p = response_data(&r, &len);
	assert_int_equal(len, 11);
	assert_memory_equal(p, "half a page", 11);
	response_redirect(&r, "/cases/7");
	assert_int_equal(r.status, 303);
	assert_string_equal(r.content_type, "text/plain; charset=utf-8");
	assert_string_equal(response_get_header(&r, "Location"), "/cases/7");
	response_data(&r, &len);
	assert_int_equal(len, 0);
	/* A second redirect replaces the first target. */
	response_redirect(&r, "/login");
	assert_int_equal(r.nheaders, 1);
	assert_string_equal(response_get_header(&r, "location"), "/login");
	/* A static body wins over the buffer. */
	buf_printf(&r.body, "ignored");
	r.static_body = "body{}";
	r.static_len = 6;
	p = response_data(&r, &len);
	assert_int_equal(len, 6);
	assert_ptr_equal(p, r.static_body);
	response_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_redirect_and_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
