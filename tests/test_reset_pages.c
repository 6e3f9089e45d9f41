/*
 * test_reset_pages.c: the password reset pages through the in-process
 * harness, on a site without --public-url: the link in the mail is made
 * from the request's Host only when it looks like a host name (else
 * "localhost"); a bad address is refused with what to type; a token
 * that is not one gets the "invalid link" page (400) on GET and POST; a
 * new password that does not match its repetition is refused and the
 * token stays usable; the right one logs out and sends to the login.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account.h"
#include "testlib_http.h"
#include "testlib_store.h"
#include "util.h"

static char dir[] = "/tmp/zizhi-reset-pages.XXXXXX";
static struct store *db;

static int
setup(void **state)
{
	char path[300], err[256];
	long long id;

	db = ts_open(dir);
	snprintf(path, sizeof(path), "%s/t.db", dir);
	setenv("ZIZHI_DB", path, 1);
	setenv("ZIZHI_INPROC_NO_PUBLIC_URL", "1", 1);
	assert_int_equal(account_create(db, "lead@x.cn", "乙", "lead", 0,
	    "a staff password here", &id, err, sizeof(err)), ACCOUNT_OK);
	return 0;
}

static int
teardown(void **state)
{
	http_inproc_close();
	ts_close(db, dir);
	return 0;
}

/* Asks for a reset of lead@x.cn with the Host header host; the link of
 * the mail queued into link, its token (kept apart from the body) into
 * token. */
static void
forgot(const char *host, char *link, size_t len, char *token,
    size_t tlen)
{
	struct http_client *c = http_client_new("inproc:");
	const char *extra[] = { host, NULL };
	static const char form[] = "email=lead%40x.cn";
	struct arena *a = arena_new();
	struct http_resp r;
	const char *body, *p;

	ts_exec(db, "DELETE FROM outbox");
	ts_exec(db, "DELETE FROM login_failure");
	http_do(c, "POST", "/password/forgot", form, strlen(form),
	    "application/x-www-form-urlencoded", extra, &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(http_header(&r, "Location"),
	    "/password/forgot?sent=1");
	http_resp_free(&r);
	body = ts_text(db, a, "SELECT body FROM outbox WHERE to_addr = "
	    "'lead@x.cn'");
	assert_non_null(p = strstr(body, "http"));
	snprintf(link, len, "%.*s", (int)strcspn(p, " \n"), p);
	snprintf(token, tlen, "%s", ts_text(db, a, "SELECT secret FROM outbox "
	    "WHERE to_addr = 'lead@x.cn'"));
	arena_free(a);
	http_client_free(c);
}

static void
test_link_host(void **state)
{
	char link[300], token[100];

	(void)state;
	forgot("Host: zizhi.example.cn:8443", link, sizeof(link), token, sizeof(token));
	assert_true(strncmp(link, "http://zizhi.example.cn:8443/password/"
	    "reset?token=", 50) == 0);
	forgot("Host: evil.example/<x>", link, sizeof(link), token, sizeof(token));
	assert_true(strncmp(link, "http://localhost/password/reset?token=",
	    38) == 0);
	forgot("Host: ", link, sizeof(link), token, sizeof(token));
	assert_true(strncmp(link, "http://localhost/password/reset?token=",
	    38) == 0);
}

static void
test_refusals(void **state)
{
	struct http_client *c = http_client_new("inproc:");
	struct http_resp r;
	char link[300], path[300], form[400], token[100];

	(void)state;
	http_post_form(c, "/password/forgot", "email=not-an-address", &r);
	assert_int_equal(r.status, 400);
	assert_true(http_body_has(&r, "请填写注册时使用的电子邮箱"));
	assert_true(http_body_has(&r, "not-an-address"));
	http_resp_free(&r);

	http_get(c, "/password/reset?token=nonsense", &r);
	assert_int_equal(r.status, 400);
	http_resp_free(&r);
	http_post_form(c, "/password/reset", "token=nonsense&password=a+long+"
	    "enough+one&password2=a+long+enough+one", &r);
	assert_int_equal(r.status, 400);
	http_resp_free(&r);

	forgot("Host: zizhi.example.cn", link, sizeof(link), token, sizeof(token));
	assert_true(strlen(token) > 20);
	snprintf(path, sizeof(path), "/password/reset?token=%s", token);
	http_get(c, path, &r);
	assert_int_equal(r.status, 200);
	assert_true(http_body_has(&r, "lead@x.cn"));
	http_resp_free(&r);
	snprintf(form, sizeof(form), "token=%s&password=a+long+enough+one&"
	    "password2=a+long+enough+two", token);
	http_post_form(c, "/password/reset", form, &r);
	assert_int_equal(r.status, 400);
	http_resp_free(&r);
	/* Still usable after the refusal. */
	snprintf(form, sizeof(form), "token=%s&password=a+long+enough+one&"
	    "password2=a+long+enough+one", token);
	http_post_form(c, "/password/reset", form, &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(http_header(&r, "Location"), "/login?reset=1");
	http_resp_free(&r);
	/* Used once: no more. */
	http_post_form(c, "/password/reset", form, &r);
	assert_int_equal(r.status, 400);
	http_resp_free(&r);
	http_client_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_host),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
