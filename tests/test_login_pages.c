/*
 * test_login_pages.c: the login pages' refusals through the in-process
 * harness: empty fields (400, each named), a wrong password (401), the
 * code page without a password first (back to /login), an empty code
 * (400), a wrong code (401, what to type instead), wrong codes until
 * the account is held back (429 with Retry-After), and the register
 * page for someone already logged in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <liboath/oath.h>
#include <sodium.h>

#include "account.h"
#include "testlib_http.h"
#include "testlib_store.h"
#include "totp.h"

static char dir[] = "/tmp/zizhi-login-pages.XXXXXX";
static struct store *db;

#define PW	"a staff password here"

static int
setup(void **state)
{
	char path[300], err[256];
	long long id;

	assert_true(sodium_init() >= 0);
	db = ts_open(dir);
	snprintf(path, sizeof(path), "%s/t.db", dir);
	setenv("ZIZHI_DB", path, 1);
	setenv("ZIZHI_REQUIRE_2FA", "1", 1);
	assert_int_equal(account_create(db, "lead@x.cn", "乙", "lead", 0, PW,
	    &id, err, sizeof(err)), ACCOUNT_OK);
	return 0;
}

static int
teardown(void **state)
{
	http_inproc_close();
	ts_close(db, dir);
	return 0;
}

static const char *
location(struct http_resp *r)
{
	const char *l = http_header(r, "Location");

	return l ? l : "";
}

/* The text after marker up to the next '<'. */
static const char *
after(const struct http_resp *r, const char *marker)
{
	static char out[128];
	const char *p = strstr(r->body.p, marker), *q;

	assert_non_null(p);
	p += strlen(marker);
	q = strchr(p, '<');
	snprintf(out, sizeof(out), "%.*s", (int)(q - p), p);
	return out;
}

static long
post(struct http_client *c, const char *path, const char *form,
    struct http_resp *r)
{
	http_post_form(c, path, form, r);
	return r->status;
}

static void
test_login_refusals(void **state)
{
	struct http_client *c = http_client_new("inproc:");
	struct http_resp r;

	(void)state;
	assert_int_equal(post(c, "/login", "email=&password=", &r), 400);
	assert_true(http_body_has(&r, "请输入电子邮箱。"));
	assert_true(http_body_has(&r, "请输入密码。"));
	http_resp_free(&r);
	assert_int_equal(post(c, "/login", "email=lead%40x.cn&password=wrong+"
	    "password+here", &r), 401);
	assert_true(http_body_has(&r, "电子邮箱或密码不正确。"));
	/* What was typed is kept. */
	assert_true(http_body_has(&r, "lead@x.cn"));
	http_resp_free(&r);
	/* The code page wants a password first. */
	http_get(c, "/login/code", &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(location(&r), "/login");
	http_resp_free(&r);
	assert_int_equal(post(c, "/login/code", "code=123456", &r), 303);
	assert_string_equal(location(&r), "/login");
	http_resp_free(&r);
	http_client_free(c);
}

static void
test_code_refusals(void **state)
{
	struct http_client *c = http_client_new("inproc:");
	struct http_resp r;
	char secret[64], csrf[64], form[300], code[8], *raw = NULL;
	size_t n;
	int i;

	(void)state;
	ts_exec(db, "DELETE FROM login_failure");
	/* Enrolled first, as the first login makes a staff member. */
	assert_int_equal(post(c, "/login", "email=lead%40x.cn&password=a+"
	    "staff+password+here", &r), 303);
	http_resp_free(&r);
	http_get(c, "/account/2fa", &r);
	assert_int_equal(r.status, 200);
	snprintf(secret, sizeof(secret), "%s", after(&r,
	    "<code id=\"totp-secret\">"));
	snprintf(csrf, sizeof(csrf), "%s", after(&r, "name=\"csrf\" value=\""));
	csrf[strcspn(csrf, "\"")] = '\0';
	http_resp_free(&r);
	assert_int_equal(oath_base32_decode(secret, strlen(secret), &raw, &n),
	    OATH_OK);
	assert_int_equal(totp_code((unsigned char *)raw, n, time(NULL), 6,
	    code), 0);
	snprintf(form, sizeof(form), "csrf=%s&action=confirm&code=%s", csrf,
	    code);
	assert_int_equal(post(c, "/account/2fa", form, &r), 200);
	http_resp_free(&r);
	/* A logged-in person has nothing to register. */
	http_get(c, "/register", &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(location(&r), "/");
	http_resp_free(&r);
	http_client_free(c);

	c = http_client_new("inproc:");
	assert_int_equal(post(c, "/login", "email=lead%40x.cn&password=a+"
	    "staff+password+here", &r), 303);
	assert_string_equal(location(&r), "/login/code?next=/");
	http_resp_free(&r);
	http_get(c, "/login/code?next=/queue", &r);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	assert_int_equal(post(c, "/login/code", "code=&next=%2Fqueue", &r),
	    400);
	assert_true(http_body_has(&r, "请输入验证码。"));
	http_resp_free(&r);
	assert_int_equal(post(c, "/login/code", "code=abcdef", &r), 401);
	assert_true(http_body_has(&r, "验证码不正确。请输入验证器应用中当前"
	    "显示的 6 位数字，或一个未用过的恢复码。"));
	http_resp_free(&r);
	/* Wrong codes again and again: held back, and told for how long. */
	for (i = 0; i < 50; i++) {
		post(c, "/login/code", "code=abcdef", &r);
		if (r.status != 401)
			break;
		http_resp_free(&r);
	}
	assert_int_equal(r.status, 429);
	assert_non_null(http_header(&r, "Retry-After"));
	assert_true(atoi(http_header(&r, "Retry-After")) > 0);
	assert_true(http_body_has(&r, "尝试过于频繁。"));
	http_resp_free(&r);
	http_client_free(c);
	free(raw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_refusals),
		cmocka_unit_test(test_code_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
