/*
 * itest_auth.c: accounts over HTTP, through both doors: register, log in,
 * log out, change password; CSRF tokens (a token nearly right, or another
 * session's, writes nothing), same-origin, redirects to login; sessions
 * ending after 30 idle minutes or 12 hours in all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <liboath/oath.h>

#include "testlib_journey.h"
#include "totp.h"

static const char *urls[2];

static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	return 0;
}

/* A fresh e-mail address for each run and door. */
static const char *
new_email(int door)
{
	static char e[128];
	static int n;

	snprintf(e, sizeof(e), "t%ld-%d-%d-%d@example.com", (long)time(NULL),
	    (int)getpid(), door, n++);
	return e;
}

/* The csrf hidden field of a page; static storage. */
static const char *
csrf_of(const struct http_resp *r)
{
	static char tok[64];
	const char *p = strstr(r->body.p, "name=\"csrf\" value=\"");
	size_t n;

	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	n = strcspn(p, "\"");
	assert_true(n > 0 && n < sizeof(tok));
	memcpy(tok, p, n);
	tok[n] = '\0';
	return tok;
}

static void
post(struct http_client *c, const char *path, const char *form,
    struct http_resp *r)
{
	http_post_form(c, path, form, r);
}

static void
register_account(struct http_client *c, const char *email, const char *pw)
{
	struct http_resp r;
	struct buf f;
	char *e = http_urlencode(email), *p = http_urlencode(pw);

	buf_init(&f);
	buf_printf(&f, "org_name=%s&name=%s&email=%s&password=%s&password2=%s",
	    "%E6%B5%8B%E8%AF%95%E7%A7%91%E6%8A%80%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8",
	    "%E5%BC%A0%E4%B8%89", e, p, p);
	tj_sql("DELETE FROM login_failure WHERE key LIKE 'register:%'");
	post(c, "/register", f.p, &r);
	if (r.status != 303)
		fail_msg("register: %ld %s", r.status, r.body.p);
	/* Not logged in by registering: the answer is the same whether
	 * the address had an account (issue 14, item 8). */
	assert_string_equal(http_header(&r, "Location"),
	    "/login?registered=1");
	assert_null(http_header(&r, "Set-Cookie"));
	http_resp_free(&r);
	buf_reset(&f);
	buf_printf(&f, "email=%s&password=%s", e, p);
	post(c, "/login", f.p, &r);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(http_header(&r, "Set-Cookie"), "HttpOnly"));
	assert_non_null(strstr(http_header(&r, "Set-Cookie"), "SameSite=Lax"));
	http_resp_free(&r);
	buf_free(&f);
	free(e);
	free(p);
}

static void
test_register_login_logout(void **state)
{
	struct http_resp r;
	struct http_client *c;
	const char *email;
	char form[512], *e;
	int d;

	for (d = 0; d < 2; d++) {
		c = http_client_new(urls[d]);
		email = new_email(d);
		register_account(c, email, "correct horse battery");
		/* Logged in: the home page greets, and is not cacheable. */
		http_get(c, "/", &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, "张三"));
		assert_true(http_body_has(&r, "测试科技有限公司"));
		assert_true(http_body_has(&r, "退出登录"));
		assert_string_equal(http_header(&r, "Cache-Control"),
		    "no-store");
		http_resp_free(&r);
		/* Log out without the token: refused, still logged in. */
		post(c, "/logout", "csrf=forged", &r);
		assert_int_equal(r.status, 403);
		assert_true(http_body_has(&r, "表单已过期或来源不明"));
		http_resp_free(&r);
		post(c, "/logout", "", &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		http_get(c, "/", &r);
		assert_true(http_body_has(&r, "退出登录"));
		snprintf(form, sizeof(form), "csrf=%s", csrf_of(&r));
		http_resp_free(&r);
		post(c, "/logout", form, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		http_get(c, "/", &r);
		assert_false(http_body_has(&r, "退出登录"));
		assert_true(http_body_has(&r, "href=\"/login\""));
		http_resp_free(&r);

		/* Wrong password: 401, a message, the e-mail kept. */
		e = http_urlencode(email);
		snprintf(form, sizeof(form), "email=%s&password=wrong+password"
		    "+here&next=%%2Faccount%%2Fpassword", e);
		post(c, "/login", form, &r);
		assert_int_equal(r.status, 401);
		assert_true(http_body_has(&r, "电子邮箱或密码不正确"));
		assert_true(http_body_has(&r, email));
		http_resp_free(&r);
		/* Right password: back to where the visitor was going. */
		snprintf(form, sizeof(form), "email=%s&password=correct+horse"
		    "+battery&next=%%2Faccount%%2Fpassword", e);
		post(c, "/login", form, &r);
		assert_int_equal(r.status, 303);
		assert_string_equal(http_header(&r, "Location"),
		    "/account/password");
		http_resp_free(&r);
		/* An open redirect is not followed, however disguised (a
		 * tab that browsers drop: found by the request fuzzer). */
		{
			static const char *evil[] = { "%2F%2Fevil.example",
			    "%2F%09%2Fevil.example", "%2F%5Cevil.example",
			    "%2F%1Fevil.example", "https%3A%2F%2Fevil.example" };
			size_t k;

			for (k = 0; k < sizeof(evil) / sizeof(evil[0]); k++) {
				snprintf(form, sizeof(form), "email=%s&password="
				    "correct+horse+battery&next=%s", e, evil[k]);
				post(c, "/login", form, &r);
				assert_int_equal(r.status, 303);
				/* The home page, which sends each person on
				 * to their own start. */
				assert_string_equal(http_header(&r, "Location"),
				    "/?from=login");
				http_resp_free(&r);
			}
		}
		free(e);
		http_client_free(c);
	}
}

static void
test_register_errors(void **state)
{
	struct http_resp r;
	struct http_client *c;
	char form[512], sql[256], *e;
	const char *email;
	long long orgs;
	int d;

	for (d = 0; d < 2; d++) {
		c = http_client_new(urls[d]);
		/* Short password, mismatch, bad e-mail: all said at once,
		 * next to their fields; what was typed stays. */
		post(c, "/register", "org_name=%E6%9F%90&name=&email=nope"
		    "&password=short&password2=other", &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "请修改以下问题后重新提交"));
		assert_true(http_body_has(&r, "<a href=\"#org_name\">"));
		assert_true(http_body_has(&r, "<a href=\"#name\">"));
		assert_true(http_body_has(&r, "<a href=\"#email\">"));
		assert_true(http_body_has(&r, "<a href=\"#password\">"));
		assert_true(http_body_has(&r, "value=\"nope\""));
		assert_true(http_body_has(&r, "value=\"某\""));
		assert_false(http_body_has(&r, "value=\"short\""));
		http_resp_free(&r);

		/* A taken e-mail gets the answer a new one gets, and its
		 * owner a mail; nothing is created (issue 14, item 8). */
		email = new_email(d);
		register_account(c, email, "a long enough password");
		http_client_free(c);
		c = http_client_new(urls[d]);
		e = http_urlencode(email);
		snprintf(form, sizeof(form), "org_name=%%E5%%8F%%A6%%E4%%B8%%80"
		    "&name=x&email=%s&password=another+long+password"
		    "&password2=another+long+password", e);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM org");
		orgs = tj_sql_int(sql);
		post(c, "/register", form, &r);
		assert_int_equal(r.status, 303);
		assert_string_equal(http_header(&r, "Location"),
		    "/login?registered=1");
		assert_null(http_header(&r, "Set-Cookie"));
		http_resp_free(&r);
		assert_int_equal(tj_sql_int(sql), orgs);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE "
		    "to_addr = '%s' AND subject = '有人尝试用您的邮箱注册账号'",
		    email);
		assert_int_equal(tj_sql_int(sql), 1);
		/* And its owner's password is unchanged. */
		snprintf(form, sizeof(form), "email=%s&password=another+long+"
		    "password", e);
		post(c, "/login", form, &r);
		assert_int_equal(r.status, 401);
		http_resp_free(&r);
		free(e);
		http_client_free(c);
	}
}

static void
test_access(void **state)
{
	struct http_resp r;
	struct http_client *c;
	const char *h[] = { "Origin: http://evil.example", NULL };
	int d;

	for (d = 0; d < 2; d++) {
		c = http_client_new(urls[d]);
		/* A page for logged-in people sends visitors to log in. */
		http_get(c, "/account/password", &r);
		assert_int_equal(r.status, 303);
		assert_string_equal(http_header(&r, "Location"),
		    "/login?next=/account/password");
		http_resp_free(&r);
		http_get(c, "/login?next=/account/password", &r);
		assert_true(http_body_has(&r, "请先登录"));
		http_resp_free(&r);
		/* A browser's POST from this very site passes the same-origin
		 * check (the Host kept its port through nginx too). */
		{
			char origin[256];
			const char *oh[] = { origin, NULL };

			snprintf(origin, sizeof(origin), "Origin: %s", urls[d]);
			http_do(c, "POST", "/login", "email=a&password=b", 18,
			    "application/x-www-form-urlencoded", oh, &r);
			if (r.status != 401)
				fail_msg("same-site POST via door %d: %ld", d,
				    r.status);
			http_resp_free(&r);
		}
		/* A POST from another site is refused before anything. */
		http_do(c, "POST", "/login", "email=a&password=b", 18,
		    "application/x-www-form-urlencoded", h, &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		http_client_free(c);
	}
}

static void
test_change_password(void **state)
{
	struct http_resp r;
	struct http_client *c, *other;
	const char *email;
	char form[512], *e;
	int d;

	for (d = 0; d < 2; d++) {
		c = http_client_new(urls[d]);
		other = http_client_new(urls[d]);
		email = new_email(d);
		register_account(c, email, "first password here");
		e = http_urlencode(email);
		snprintf(form, sizeof(form), "email=%s&password=first+password"
		    "+here", e);
		post(other, "/login", form, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);

		http_get(c, "/account/password", &r);
		assert_int_equal(r.status, 200);
		snprintf(form, sizeof(form), "csrf=%s&current=wrong&password="
		    "second+password+here&password2=second+password+here",
		    csrf_of(&r));
		http_resp_free(&r);
		post(c, "/account/password", form, &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "当前密码不正确"));
		snprintf(form, sizeof(form), "csrf=%s&current=first+password+"
		    "here&password=second+password+here&password2=second+"
		    "password+here", csrf_of(&r));
		http_resp_free(&r);
		post(c, "/account/password", form, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		/* The other session ended; this one goes on. */
		http_get(other, "/account/password", &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		http_get(c, "/account/password", &r);
		assert_int_equal(r.status, 200);
		http_resp_free(&r);
		snprintf(form, sizeof(form), "email=%s&password=second+password"
		    "+here", e);
		post(other, "/login", form, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		free(e);
		http_client_free(c);
		http_client_free(other);
	}
}

/* POST form to path as c: refused as a forged form (403, its message),
 * and the count sql gives is what it was. */
static void
forged(struct http_client *c, const char *path, const char *form,
    const char *sql, const char *what)
{
	struct http_resp r;
	long long before = tj_sql_int(sql);

	http_post_form(c, path, form, &r);
	if (r.status != 403)
		fail_msg("%s to %s: %ld, want 403", what, path, r.status);
	assert_true(http_body_has(&r, "表单已过期或来源不明"));
	http_resp_free(&r);
	if (tj_sql_int(sql) != before)
		fail_msg("%s to %s: written (%s)", what, path, sql);
}

static void
test_csrf_forged(void **state)
{
	struct http_client *a, *b;
	struct http_resp r;
	char tok[64], other[64], bad[64], form[256], count_cases[128];
	char count_form[128], path[96];
	size_t n, k;
	long long id;
	int d;
	/* The first character after an 8-character prefix, and the last. */
	const size_t pos[] = { 8, 42 };

	for (d = 0; d < 2; d++) {
		a = tj_applicant(urls[d], "令牌测试甲有限公司");
		b = tj_applicant(urls[d], "令牌测试乙有限公司");
		id = tj_new_case(a);
		snprintf(path, sizeof(path), "/cases/%lld/form/s2", id);
		snprintf(count_cases, sizeof(count_cases), "SELECT count(*) "
		    "FROM cases WHERE org_id = (SELECT org_id FROM cases WHERE "
		    "id = %lld)", id);
		snprintf(count_form, sizeof(count_form), "SELECT count(*) FROM "
		    "form_value WHERE case_id = %lld", id);
		snprintf(tok, sizeof(tok), "%s", tj_token(a, "/cases"));
		snprintf(other, sizeof(other), "%s", tj_token(b, "/cases"));
		n = strlen(tok);
		assert_int_equal(n, 43);
		assert_int_equal(strlen(other), 43);
		assert_string_not_equal(tok, other);

		/* The right token with one character changed. */
		for (k = 0; k < sizeof(pos) / sizeof(pos[0]); k++) {
			snprintf(bad, sizeof(bad), "%s", tok);
			bad[pos[k]] = bad[pos[k]] == 'A' ? 'B' : 'A';
			snprintf(form, sizeof(form), "csrf=%s", bad);
			forged(a, "/cases", form, count_cases,
			    "a token with one character changed");
			snprintf(form, sizeof(form), "csrf=%s&profile=x", bad);
			forged(a, path, form, count_form,
			    "a token with one character changed");
		}
		/* Another session's valid token. */
		snprintf(form, sizeof(form), "csrf=%s", other);
		forged(a, "/cases", form, count_cases,
		    "another session's token");
		snprintf(form, sizeof(form), "csrf=%s&profile=x", other);
		forged(a, path, form, count_form, "another session's token");
		/* Each session's own token works. */
		snprintf(form, sizeof(form), "csrf=%s&profile=x", tok);
		http_post_form(a, path, form, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		assert_true(tj_sql_int(count_form) > 0);
		snprintf(form, sizeof(form), "csrf=%s", other);
		http_post_form(b, "/cases", form, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		http_client_free(a);
		http_client_free(b);
	}
}

/* Moves the session whose CSRF token is tok back in time: its last
 * request idle seconds ago, its start age seconds ago. */
static void
age_session(const char *tok, long idle, long age)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "UPDATE session SET seen = strftime('%%s', "
	    "'now') - %ld, created = strftime('%%s', 'now') - %ld WHERE csrf = "
	    "'%s'", idle, age, tok);
	tj_sql(sql);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM session WHERE csrf = "
	    "'%s'", tok);
	assert_int_equal(tj_sql_int(sql), 1);
}

/* A new applicant's session aged as age_session does: whether a page
 * for logged-in people still lets it in. An ended session is sent to the
 * login page and deleted. */
static int
still_in(const char *url, long idle, long age)
{
	struct http_client *c = tj_applicant(url, "会话测试有限公司");
	struct http_resp r;
	char tok[64], sql[256];
	const char *loc;
	int in;

	snprintf(tok, sizeof(tok), "%s", tj_token(c, "/cases"));
	age_session(tok, idle, age);
	http_get(c, "/cases", &r);
	in = r.status == 200;
	if (!in) {
		assert_int_equal(r.status, 303);
		loc = http_header(&r, "Location");
		assert_non_null(loc);
		assert_int_equal(strncmp(loc, "/login", 6), 0);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM session WHERE "
		    "csrf = '%s'", tok);
		assert_int_equal(tj_sql_int(sql), 0);
	}
	http_resp_free(&r);
	http_client_free(c);
	return in;
}

static void
test_session_expiry(void **state)
{
	int d;

	for (d = 0; d < 2; d++) {
		/* Idle: 29 minutes is still in, 31 minutes is out. */
		assert_true(still_in(urls[d], 29 * 60, 29 * 60));
		assert_false(still_in(urls[d], 31 * 60, 31 * 60));
		/* In all: 12 hours less a minute is in, 12 hours and a
		 * minute is out, though active a minute ago. */
		assert_true(still_in(urls[d], 60, 12 * 3600 - 60));
		assert_false(still_in(urls[d], 60, 12 * 3600 + 60));
	}
}


/* The text between after and the next '<' in r's body; static. */
static const char *
between(const struct http_resp *r, const char *after)
{
	static char out[128];
	const char *p = strstr(r->body.p, after), *q;

	if (p == NULL)
		fail_msg("no %s in:\n%s", after, r->body.p);
	p += strlen(after);
	q = strchr(p, '<');
	assert_non_null(q);
	snprintf(out, sizeof(out), "%.*s", (int)(q - p), p);
	return out;
}

/* The code of the base32 secret at unix time t. */
static const char *
code_at(const char *base32, long long t)
{
	static char out[8];
	char *raw = NULL;
	size_t n;

	assert_int_equal(oath_base32_decode(base32, strlen(base32), &raw, &n),
	    OATH_OK);
	assert_int_equal(totp_code((unsigned char *)raw, n, t, 6, out), 0);
	free(raw);
	return out;
}

static long
login_status(struct http_client *c, const char *email, const char *pw,
    char *location, size_t len)
{
	struct http_resp r;
	char form[400], *e = http_urlencode(email), *p = http_urlencode(pw);
	long st;

	snprintf(form, sizeof(form), "email=%s&password=%s", e, p);
	post(c, "/login", form, &r);
	st = r.status;
	if (location != NULL)
		snprintf(location, len, "%s", http_header(&r, "Location") ?
		    http_header(&r, "Location") : "");
	http_resp_free(&r);
	free(e);
	free(p);
	return st;
}

static long
code_status(struct http_client *c, const char *code)
{
	struct http_resp r;
	char form[200];
	long st;

	snprintf(form, sizeof(form), "code=%s&next=%%2Fcases", code);
	post(c, "/login/code", form, &r);
	st = r.status;
	http_resp_free(&r);
	return st;
}

static int
logged_in(struct http_client *c)
{
	struct http_resp r;
	int in;

	http_get(c, "/", &r);
	in = http_body_has(&r, "退出登录");
	http_resp_free(&r);
	return in;
}

/*
 * Issue 14, item 15: a second factor. Enrolment on the account page (the
 * secret shown beside the QR code, confirmed with a code), then logging
 * in asks for a code after the password: without it, not in; a wrong
 * one, 401; the right one, in. A recovery code works once. An
 * administrator's reset: the password alone again.
 */
static void
test_second_factor(void **state)
{
	struct http_client *c, *admin;
	struct http_resp r;
	char form[400], loc[256], secret[64], rec[32], path[128], sql[256];
	const char *email;
	long long id;
	int d;

	for (d = 0; d < 2; d++) {
		c = http_client_new(urls[d]);
		email = new_email(d);
		register_account(c, email, "second factor password");
		http_get(c, "/account/2fa", &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, "src=\"data:image/svg+xml;base64,"));
		snprintf(secret, sizeof(secret), "%s", between(&r,
		    "<code id=\"totp-secret\">"));
		assert_int_equal(strlen(secret), 32);
		snprintf(form, sizeof(form), "csrf=%s&action=confirm&code=000000",
		    csrf_of(&r));
		http_resp_free(&r);
		post(c, "/account/2fa", form, &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "验证码不正确"));
		http_resp_free(&r);
		snprintf(form, sizeof(form), "csrf=%s&action=confirm&code=%s",
		    tj_token(c, "/account/2fa"), code_at(secret, time(NULL)));
		post(c, "/account/2fa", form, &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, "恢复码只显示这一次"));
		snprintf(rec, sizeof(rec), "%s", between(&r, "<li><code>"));
		assert_int_equal(strlen(rec), 11);
		http_resp_free(&r);
		http_client_free(c);

		/* The password alone: half-way, not logged in. */
		c = http_client_new(urls[d]);
		assert_int_equal(login_status(c, email, "second factor password",
		    loc, sizeof(loc)), 303);
		assert_string_equal(loc, "/login/code?next=/");
		assert_false(logged_in(c));
		http_get(c, "/cases", &r);
		assert_int_equal(r.status, 303);	/* to log in */
		http_resp_free(&r);
		http_get(c, "/login/code", &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, "验证码或恢复码"));
		http_resp_free(&r);
		/* A wrong code: 401; the right one (the next step's: the
		 * current one was spent confirming): in. */
		assert_int_equal(code_status(c, "123456"), 401);
		assert_false(logged_in(c));
		assert_int_equal(code_status(c, code_at(secret, time(NULL) +
		    30)), 303);
		assert_true(logged_in(c));
		http_client_free(c);
		/* Without a half-way session the code page sends to log in. */
		c = http_client_new(urls[d]);
		assert_int_equal(code_status(c, code_at(secret, time(NULL))),
		    303);
		assert_false(logged_in(c));
		http_client_free(c);

		/* A recovery code, once. */
		c = http_client_new(urls[d]);
		assert_int_equal(login_status(c, email, "second factor password",
		    NULL, 0), 303);
		assert_int_equal(code_status(c, rec), 303);
		assert_true(logged_in(c));
		http_client_free(c);
		c = http_client_new(urls[d]);
		assert_int_equal(login_status(c, email, "second factor password",
		    NULL, 0), 303);
		assert_int_equal(code_status(c, rec), 401);
		assert_false(logged_in(c));
		http_client_free(c);

		/* An administrator resets it: the password alone again. */
		admin = tj_staff(urls[d], "admin", form, sizeof(form));
		snprintf(sql, sizeof(sql), "SELECT id FROM account WHERE email = "
		    "'%s'", email);
		id = tj_sql_int(sql);
		snprintf(path, sizeof(path), "/admin/users/%lld/2fa-reset", id);
		snprintf(form, sizeof(form), "csrf=%s", tj_token(admin,
		    "/admin/users"));
		post(admin, path, form, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		c = http_client_new(urls[d]);
		assert_int_equal(login_status(c, email, "second factor password",
		    loc, sizeof(loc)), 303);
		assert_string_equal(loc, "/?from=login");
		assert_true(logged_in(c));
		http_client_free(c);
		http_client_free(admin);
		tj_sql("DELETE FROM login_failure");
		printf("  second factor ok through %s\n", urls[d]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_login_logout),
		cmocka_unit_test(test_register_errors),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_change_password),
		cmocka_unit_test(test_csrf_forged),
		cmocka_unit_test(test_session_expiry),
		cmocka_unit_test(test_second_factor),
	};

	return cmocka_run_group_tests_name("accounts (both doors)", tests,
	    setup, NULL);
}
