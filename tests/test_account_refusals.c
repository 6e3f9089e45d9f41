/*
 * test_account_refusals.c: what the account functions refuse, with the
 * words they say (account.h): a password of invalid UTF-8 or the wrong
 * length, an unknown role, a password for an address nobody has, a
 * registration with a bad password, a password change by nobody, with
 * the wrong current password or a too short new one. Nothing changes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "account.h"
#include "testlib_dom.h"

static long long
count(const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(td_dom(0)->store), sql,
	    -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
test_store_level(void **state)
{
	struct store *s = td_dom(0)->store;
	char err[256];
	long long id = 0, before = count("SELECT count(*) FROM account");

	(void)state;
	assert_int_equal(account_create(s, "new@x.cn", "新人", "king", 0,
	    "a long enough password", &id, err, sizeof(err)),
	    ACCOUNT_INVALID);
	assert_string_equal(err, "未知的角色：king");
	assert_int_equal(account_create(s, "new@x.cn", "新人", "lead", 0,
	    "short", &id, err, sizeof(err)), ACCOUNT_INVALID);
	assert_string_equal(err, "密码长度须为 12 到 1024 个字符");
	assert_int_equal(account_create(s, "new@x.cn", "新人", "lead", 0,
	    "a long password \xff\xfe", &id, err, sizeof(err)),
	    ACCOUNT_INVALID);
	assert_string_equal(err, "密码含有无效字符");
	assert_int_equal(count("SELECT count(*) FROM account"), before);

	assert_int_equal(account_set_password(s, "nobody@x.cn",
	    "a long enough password", err, sizeof(err)), ACCOUNT_INVALID);
	assert_string_equal(err, "没有该账号：nobody@x.cn");
	assert_int_equal(account_set_password(s, "nobody@x.cn", "short", err,
	    sizeof(err)), ACCOUNT_INVALID);
	assert_string_equal(err, "密码长度须为 12 到 1024 个字符");
}

static void
test_register_refusals(void **state)
{
	struct dom *d = td_dom(0);
	long long until = 7, before = count("SELECT count(*) FROM account");

	(void)state;
	assert_int_equal(account_register(d, "丙公司", "张三", "z@x.cn",
	    "short", "192.0.2.1", &until), DOM_INVALID);
	assert_string_equal(d->field, "password");
	assert_string_equal(d->msg, "密码长度须为 12 到 1024 个字符。");
	assert_int_equal(until, 0);
	d = td_dom(0);
	assert_int_equal(account_register(d, "丙", "张三", "z@x.cn",
	    "a long enough password", "192.0.2.1", &until), DOM_INVALID);
	assert_string_equal(d->field, "org_name");
	d = td_dom(0);
	assert_int_equal(account_register(d, "丙公司", "", "z@x.cn",
	    "a long enough password", "192.0.2.1", &until), DOM_INVALID);
	assert_string_equal(d->field, "name");
	d = td_dom(0);
	assert_int_equal(account_register(d, "丙公司", "张三", "z@x",
	    "a long enough password", "192.0.2.1", &until), DOM_INVALID);
	assert_string_equal(d->field, "email");
	assert_int_equal(count("SELECT count(*) FROM account"), before);
	assert_int_equal(count("SELECT count(*) FROM org WHERE name = "
	    "'丙公司'"), 0);
}

static void
test_change_refusals(void **state)
{
	struct dom *d = td_dom(0);
	long long sessions;

	/* The lead's session, which a change would end. */
	td_exec("INSERT INTO session(token_hash, account_id, csrf, created, "
	    "seen) VALUES (randomblob(32), 2, printf('%043d', 0), 1800000000, "
	    "1800000000)");
	sessions = count("SELECT count(*) FROM session WHERE account_id = 2");

	(void)state;
	assert_int_equal(account_change_password(d, "x", "a long enough "
	    "password"), DOM_FORBIDDEN);
	assert_string_equal(d->msg, "请先登录。");
	d = td_dom(TD_LEAD);
	assert_int_equal(account_change_password(d, "not the password",
	    "a long enough password"), DOM_INVALID);
	assert_string_equal(d->field, "current");
	assert_string_equal(d->msg, "当前密码不正确。");
	d = td_dom(TD_LEAD);
	assert_int_equal(account_change_password(d, "not the password",
	    "short"), DOM_INVALID);
	assert_string_equal(d->field, "current");
	assert_int_equal(count("SELECT count(*) FROM session WHERE "
	    "account_id = 2"), sessions);
	assert_true(sessions >= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_level),
		cmocka_unit_test(test_register_refusals),
		cmocka_unit_test(test_change_refusals),
	};

	return cmocka_run_group_tests(tests, td_setup, td_teardown);
}
