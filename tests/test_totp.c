/*
 * test_totp.c: the second factor (totp.c) and the login's second step
 * (login.c) on a temporary database (issue 14, item 15): the RFC 6238
 * test vectors through liboath; enrolment with a code from the secret
 * offered; logging in with and without the code, a code not twice; a
 * recovery code once; the throttle; the site's requirement for staff;
 * turning it off; an administrator's reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <liboath/oath.h>
#include <sodium.h>

#include "account.h"
#include "login.h"
#include "testlib_store.h"
#include "totp.h"
#include "util.h"

static char dir[] = "/tmp/zizhi-totp.XXXXXX";
static struct store *db;
static struct arena *arena;
static long long now;

#define PW	"the first password"

static struct actor people[4] = {
	{ 0, "", "", "", 0, 0, "" },
	{ 1, "admin@x.cn", "管理员", "admin", ROLE_ADMIN, 0, "" },
	{ 2, "lead@x.cn", "乙", "lead", ROLE_LEAD, 0, "" },
	{ 3, "app@x.cn", "申请人", "applicant", ROLE_APPLICANT, 1, "单位" },
};
enum { ADMIN = 1, LEAD, APPLICANT };

static int
setup(void **state)
{
	char err[256];
	long long id;
	int i;

	assert_true(sodium_init() >= 0);
	db = ts_open(dir);
	arena = arena_new();
	now = 1800000000;
	ts_exec(db, "INSERT INTO org(id, name) VALUES (1, '单位')");
	for (i = 1; i <= 3; i++)
		assert_int_equal(account_create(db, people[i].email,
		    people[i].name, people[i].role, i == APPLICANT ? 1 : 0, PW,
		    &id, err, sizeof(err)), ACCOUNT_OK);
	return 0;
}

static int
teardown(void **state)
{
	arena_free(arena);
	ts_close(db, dir);
	return 0;
}

static struct dom *
ctx(int who, long long t)
{
	struct dom *d = arena_alloc(arena, sizeof(*d));

	dom_init(d, db, arena, &people[who], t);
	return d;
}

/* RFC 6238, appendix B: HMAC-SHA-1, the 20-byte ASCII key. */
static void
test_rfc6238_vectors(void **state)
{
	static const struct {
		long long	 t;
		const char	*code;
	} v[] = {
		{ 59, "94287082" }, { 1111111109, "07081804" },
		{ 1111111111, "14050471" }, { 1234567890, "89005924" },
		{ 2000000000, "69279037" }, { 20000000000LL, "65353130" },
	};
	const unsigned char *key = (const unsigned char *)
	    "12345678901234567890";
	char out[9];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_code(key, 20, v[i].t, 8, out), 0);
		assert_string_equal(out, v[i].code);
	}
	/* Six digits: the last six of the same. */
	assert_int_equal(totp_code(key, 20, 59, 6, out), 0);
	assert_string_equal(out, "287082");
}

/* The code of the secret base32 (as the page shows it) at t. */
static const char *
code_of(const char *base32, long long t)
{
	static char out[TOTP_DIGITS + 1];
	char *raw = NULL;
	size_t n;

	assert_int_equal(oath_base32_decode(base32, strlen(base32), &raw, &n),
	    OATH_OK);
	assert_int_equal(n, TOTP_SECRET_BYTES);
	assert_int_equal(totp_code((unsigned char *)raw, n, t, TOTP_DIGITS,
	    out), 0);
	free(raw);
	return out;
}

static char secret[64];
static const char **recovery;

static void
test_enrol_and_login(void **state)
{
	struct totp_enrol e, again;
	enum totp_need need;
	long long id, until;
	const char **codes;
	struct dom *d;
	int on, left;

	/* Without a second factor, the password alone logs in. */
	d = ctx(0, now);
	assert_int_equal(login_attempt(d, "app@x.cn", PW, "10.0.0.1", &id,
	    &until, &need), DOM_OK);
	assert_int_equal(need, TOTP_NONE);
	/* Only for oneself. */
	assert_int_equal(totp_begin(ctx(LEAD, now), APPLICANT, &e),
	    DOM_FORBIDDEN);
	/* The enrolment: a secret, its URI, its QR code; the same again
	 * until confirmed. */
	d = ctx(APPLICANT, now);
	assert_int_equal(totp_begin(d, APPLICANT, &e), DOM_OK);
	assert_int_equal(strlen(e.secret), 32);
	assert_non_null(strstr(e.uri, "otpauth://totp/zizhi:app%40x.cn?"
	    "secret="));
	assert_non_null(strstr(e.uri, e.secret));
	assert_non_null(strstr(e.qr, "data:image/svg+xml;base64,"));
	assert_int_equal(totp_begin(ctx(APPLICANT, now), APPLICANT, &again),
	    DOM_OK);
	assert_string_equal(again.secret, e.secret);
	/* A wrong code does not confirm it. */
	assert_int_equal(totp_confirm(d, "000000", &codes), DOM_INVALID);
	assert_int_equal(totp_confirm(d, "12ab56", &codes), DOM_INVALID);
	assert_int_equal(totp_needed(d, APPLICANT), TOTP_NONE);
	/* The right one does, with ten recovery codes. */
	assert_int_equal(totp_confirm(d, code_of(e.secret, now), &codes),
	    DOM_OK);
	for (left = 0; codes[left] != NULL; left++)
		assert_int_equal(strlen(codes[left]), 11);
	assert_int_equal(left, TOTP_RECOVERY_CODES);
	assert_int_equal(ts_int(db, "SELECT count(*) FROM totp_recovery WHERE "
	    "account_id = 3"), 10);
	assert_int_equal(totp_status(d, APPLICANT, &on, &left), DOM_OK);
	assert_true(on);
	assert_int_equal(left, 10);
	assert_int_equal(totp_begin(d, APPLICANT, &again), DOM_CONFLICT);
	snprintf(secret, sizeof(secret), "%s", e.secret);
	recovery = codes;

	/* The password now asks for the code. */
	d = ctx(0, now + 60);
	assert_int_equal(login_attempt(d, "app@x.cn", PW, "10.0.0.1", &id,
	    &until, &need), DOM_OK);
	assert_int_equal(need, TOTP_CODE);
	/* Without it, or with a wrong one: not in. */
	assert_int_equal(login_code(d, APPLICANT, "123456", "10.0.0.1",
	    &until), DOM_INVALID);
	assert_string_equal(d->field, "code");
	/* With it: in. The same code again: not (replay). */
	assert_int_equal(login_code(d, APPLICANT, code_of(secret, now + 60),
	    "10.0.0.1", &until), DOM_OK);
	assert_int_equal(login_code(d, APPLICANT, code_of(secret, now + 60),
	    "10.0.0.1", &until), DOM_INVALID);
	/* One step late still counts; two do not. */
	d = ctx(0, now + 120);
	assert_int_equal(login_code(d, APPLICANT, code_of(secret, now + 90),
	    "10.0.0.1", &until), DOM_OK);
	d = ctx(0, now + 300);
	assert_int_equal(login_code(d, APPLICANT, code_of(secret, now + 240),
	    "10.0.0.1", &until), DOM_INVALID);
	ts_exec(db, "DELETE FROM login_failure");
}

static void
test_recovery_once(void **state)
{
	long long until;
	struct dom *d = ctx(0, now + 600);
	char typed[32];
	int on, left;

	/* Typed in lower case without the dash: the same code. */
	snprintf(typed, sizeof(typed), "%.5s%s", recovery[3], recovery[3] + 6);
	for (left = 0; typed[left]; left++)
		if (typed[left] >= 'A' && typed[left] <= 'Z')
			typed[left] = (char)(typed[left] - 'A' + 'a');
	assert_int_equal(login_code(d, APPLICANT, typed, "10.0.0.1", &until),
	    DOM_OK);
	assert_int_equal(login_code(d, APPLICANT, recovery[3], "10.0.0.1",
	    &until), DOM_INVALID);
	assert_int_equal(totp_status(d, APPLICANT, &on, &left), DOM_OK);
	assert_int_equal(left, 9);
	/* Another account's code is not this one's. */
	assert_int_equal(login_code(d, LEAD, recovery[4], "10.0.0.1", &until),
	    DOM_INVALID);
	ts_exec(db, "DELETE FROM login_failure");
}

/* Guessing codes is throttled as passwords are. */
static void
test_code_throttle(void **state)
{
	long long until;
	struct dom *d = ctx(0, now + 900);

	assert_int_equal(login_code(d, APPLICANT, "000001", "10.0.0.2",
	    &until), DOM_INVALID);
	assert_int_equal(login_code(d, APPLICANT, "000002", "10.0.0.3",
	    &until), DOM_INVALID);
	assert_int_equal(login_code(d, APPLICANT, "000003", "10.0.0.4",
	    &until), DOM_INVALID);
	/* The right code waits too. */
	assert_int_equal(login_code(d, APPLICANT, code_of(secret, now + 900),
	    "10.0.0.5", &until), DOM_CONFLICT);
	assert_int_equal(until, now + 900 + 5);
	ts_exec(db, "DELETE FROM login_failure");
}

/* The site requires it of staff: enrolment first; applicants may opt
 * out, staff may not. */
static void
test_required(void **state)
{
	const char **codes;
	struct totp_enrol e;
	struct dom *d = ctx(0, now + 1000);

	assert_int_equal(totp_needed(d, LEAD), TOTP_NONE);
	d->require_2fa = 1;
	assert_int_equal(totp_needed(d, LEAD), TOTP_ENROL);
	assert_int_equal(totp_needed(d, ADMIN), TOTP_ENROL);
	d = ctx(LEAD, now + 1000);
	d->require_2fa = 1;
	assert_int_equal(totp_begin(d, LEAD, &e), DOM_OK);
	assert_int_equal(totp_confirm(d, code_of(e.secret, now + 1000),
	    &codes), DOM_OK);
	assert_int_equal(totp_needed(d, LEAD), TOTP_CODE);
	assert_int_equal(totp_disable(d, code_of(e.secret, now + 1030)),
	    DOM_FORBIDDEN);
	/* The applicant turns it off with a code. */
	d = ctx(APPLICANT, now + 1100);
	d->require_2fa = 1;
	assert_int_equal(totp_disable(d, "999999"), DOM_INVALID);
	assert_int_equal(totp_disable(d, code_of(secret, now + 1100)), DOM_OK);
	assert_int_equal(totp_needed(d, APPLICANT), TOTP_NONE);
	assert_int_equal(ts_int(db, "SELECT count(*) FROM totp_recovery WHERE "
	    "account_id = 3"), 0);
	ts_exec(db, "DELETE FROM login_failure");
}

/* An administrator resets a lost second factor: gone, sessions too. */
static void
test_admin_reset(void **state)
{
	struct dom *d;

	ts_exec(db, "INSERT INTO session(token_hash, account_id, csrf, "
	    "created, seen) VALUES (zeroblob(32), 2, printf('%043d', 0), 0, "
	    "0)");
	assert_int_equal(totp_reset(ctx(LEAD, now), LEAD), DOM_FORBIDDEN);
	assert_int_equal(totp_reset(ctx(ADMIN, now), ADMIN), DOM_FORBIDDEN);
	assert_int_equal(totp_reset(ctx(ADMIN, now), 99), DOM_NOT_FOUND);
	d = ctx(ADMIN, now);
	assert_int_equal(totp_reset(d, LEAD), DOM_OK);
	assert_int_equal(totp_needed(d, LEAD), TOTP_NONE);
	assert_int_equal(ts_int(db, "SELECT count(*) FROM totp_recovery WHERE "
	    "account_id = 2"), 0);
	assert_int_equal(ts_int(db, "SELECT count(*) FROM session WHERE "
	    "account_id = 2"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_vectors),
		cmocka_unit_test(test_enrol_and_login),
		cmocka_unit_test(test_recovery_once),
		cmocka_unit_test(test_code_throttle),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_admin_reset),
	};

	return cmocka_run_group_tests_name("second factor", tests, setup,
	    teardown);
}
