/*
 * test_totp_pages.c: a site started with --require-2fa, through the
 * application in this process (testlib_http "inproc:"): a staff member
 * without a second factor who logs in is sent to enrol, and every other
 * page sends there too, until a code confirms it; then the recovery
 * codes are shown once and the session is a full one. The next login
 * asks for the code. An applicant is not made to enrol (issue 14, item
 * 15). The refusals on the way: empty fields (400, each named), a wrong
 * password (401), the code page without a password first (back to
 * /login), an empty code (400), a wrong code (401, what to type
 * instead), wrong codes until the login is held back (429 with
 * Retry-After); the register page for someone logged in; the enrolment
 * form without a code, with a wrong one, and a disable with no factor.
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

static char dir[] = "/tmp/zizhi-totp-pages.XXXXXX";
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
	ts_exec(db, "INSERT INTO org(id, name) VALUES (1, '单位')");
	assert_int_equal(account_create(db, "lead@x.cn", "乙", "lead", 0, PW,
	    &id, err, sizeof(err)), ACCOUNT_OK);
	assert_int_equal(account_create(db, "app@x.cn", "甲", "applicant", 1,
	    PW, &id, err, sizeof(err)), ACCOUNT_OK);
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

static long
login(struct http_client *c, const char *email, char *loc, size_t len)
{
	struct http_resp r;
	char form[200];
	long st;

	snprintf(form, sizeof(form), "email=%s&password=a+staff+password+here",
	    email);
	http_post_form(c, "/login", form, &r);
	st = r.status;
	snprintf(loc, len, "%s", location(&r));
	http_resp_free(&r);
	return st;
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

static void
test_staff_must_enrol(void **state)
{
	struct http_client *c = http_client_new("inproc:");
	struct http_resp r;
	char loc[200], secret[64], csrf[64], form[300], code[8], *raw = NULL;
	size_t n;

	ts_exec(db, "DELETE FROM login_failure");
	assert_int_equal(login(c, "lead%40x.cn", loc, sizeof(loc)), 303);
	assert_string_equal(loc, "/account/2fa");
	/* Every other page sends to the enrolment. */
	http_get(c, "/queue", &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(location(&r), "/account/2fa");
	http_resp_free(&r);
	http_get(c, "/", &r);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	http_get(c, "/account/2fa", &r);
	assert_int_equal(r.status, 200);
	assert_true(http_body_has(&r, "本系统要求工作人员使用两步验证"));
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
	http_post_form(c, "/account/2fa", form, &r);
	assert_int_equal(r.status, 200);
	assert_true(http_body_has(&r, "恢复码只显示这一次"));
	http_resp_free(&r);
	/* A full session now. */
	http_get(c, "/queue", &r);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	http_client_free(c);
	/* The next login asks for the code; staff may not turn it off. */
	c = http_client_new("inproc:");
	assert_int_equal(login(c, "lead%40x.cn", loc, sizeof(loc)), 303);
	assert_string_equal(loc, "/login/code?next=/");
	assert_int_equal(totp_code((unsigned char *)raw, n, time(NULL) + 30,
	    6, code), 0);
	snprintf(form, sizeof(form), "code=%s&next=%%2Fqueue", code);
	http_post_form(c, "/login/code", form, &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(location(&r), "/queue");
	http_resp_free(&r);
	http_get(c, "/account/2fa", &r);
	assert_true(http_body_has(&r, "不能关闭"));
	http_resp_free(&r);
	http_client_free(c);
	free(raw);
}

static void
test_applicant_not_made_to(void **state)
{
	struct http_client *c = http_client_new("inproc:");
	char loc[200];

	ts_exec(db, "DELETE FROM login_failure");
	assert_int_equal(login(c, "app%40x.cn", loc, sizeof(loc)), 303);
	/* Not sent to enrol: to the landing (issue 17). */
	assert_string_equal(loc, "/?from=login");
	http_client_free(c);
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
	char loc[200];

	ts_exec(db, "DELETE FROM login_failure");
	assert_int_equal(post(c, "/login", "email=&password=", &r), 400);
	assert_true(http_body_has(&r, "请输入电子邮箱。"));
	assert_true(http_body_has(&r, "请输入密码。"));
	http_resp_free(&r);
	assert_int_equal(post(c, "/login", "email=lead%40x.cn&password=wrong+"
	    "password+here", &r), 401);
	assert_true(http_body_has(&r, "电子邮箱或密码不正确。"));
	assert_true(http_body_has(&r, "lead@x.cn"));	/* kept */
	http_resp_free(&r);
	/* The code page wants a password first. */
	http_get(c, "/login/code", &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(location(&r), "/login");
	http_resp_free(&r);
	assert_int_equal(post(c, "/login/code", "code=123456", &r), 303);
	assert_string_equal(location(&r), "/login");
	http_resp_free(&r);
	/* A logged-in person has nothing to register. */
	assert_int_equal(login(c, "app%40x.cn", loc, sizeof(loc)), 303);
	http_get(c, "/register", &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(location(&r), "/");
	http_resp_free(&r);
	http_client_free(c);
}

/* The enrolment form's refusals, for an applicant who has no factor. */
static void
test_enrol_refusals(void **state)
{
	struct http_client *c = http_client_new("inproc:");
	struct http_resp r;
	char loc[200], csrf[64], form[200];

	ts_exec(db, "DELETE FROM login_failure");
	assert_int_equal(login(c, "app%40x.cn", loc, sizeof(loc)), 303);
	http_get(c, "/account/2fa", &r);
	assert_int_equal(r.status, 200);
	snprintf(csrf, sizeof(csrf), "%s", after(&r, "name=\"csrf\" value=\""));
	csrf[strcspn(csrf, "\"")] = '\0';
	http_resp_free(&r);
	snprintf(form, sizeof(form), "csrf=%s&action=confirm&code=", csrf);
	assert_int_equal(post(c, "/account/2fa", form, &r), 400);
	assert_true(http_body_has(&r, "请输入验证码。"));
	http_resp_free(&r);
	snprintf(form, sizeof(form), "csrf=%s&action=confirm&code=000000",
	    csrf);
	assert_int_equal(post(c, "/account/2fa", form, &r), 400);
	assert_true(http_body_has(&r, "验证码不正确。请输入验证器应用中当前显示"
	    "的 6 位数字；如果一直不正确，请检查手机的时间是否准确。"));
	http_resp_free(&r);
	snprintf(form, sizeof(form), "csrf=%s&action=disable&code=000000",
	    csrf);
	assert_int_equal(post(c, "/account/2fa", form, &r), 409);
	assert_true(http_body_has(&r, "此账号没有启用两步验证。"));
	http_resp_free(&r);
	/* Still not enrolled: the same page offers enrolment. */
	http_get(c, "/account/2fa", &r);
	assert_int_equal(r.status, 200);
	assert_true(http_body_has(&r, "totp-secret"));
	http_resp_free(&r);
	http_client_free(c);
}

/* After test_staff_must_enrol: the lead has a second factor. Last, as it
 * leaves the address throttled. */
static void
test_code_refusals(void **state)
{
	struct http_client *c = http_client_new("inproc:");
	struct http_resp r;
	char loc[200];
	int i;

	ts_exec(db, "DELETE FROM login_failure");
	assert_int_equal(login(c, "lead%40x.cn", loc, sizeof(loc)), 303);
	assert_string_equal(loc, "/login/code?next=/");
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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_staff_must_enrol),
		cmocka_unit_test(test_applicant_not_made_to),
		cmocka_unit_test(test_login_refusals),
		cmocka_unit_test(test_enrol_refusals),
		cmocka_unit_test(test_code_refusals),
	};

	return cmocka_run_group_tests_name("second factor required", tests,
	    setup, teardown);
}
