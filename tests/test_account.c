/*
 * test_account.c: the account steps (account.c), logging in (login.c)
 * and password reset (reset.c) on a temporary database. Each step works;
 * each refusal (wrong person, bad input, a taken address, a wrong
 * password, a spent or expired token) writes nothing; the checks that
 * guard a write hold against a second request (a token used twice, a
 * password changed under a change).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include "account.h"
#include "login.h"
#include "reset.h"
#include "testlib_store.h"
#include "throttle.h"
#include "util.h"

static char dir[] = "/tmp/zizhi-account.XXXXXX";
static struct store *db;
static struct arena *arena;
static long long now;

#define PW	"the first password"

/* Accounts made in setup: 1 admin, 2 lead 乙, 3 lead 甲, 4 expert,
 * 5 applicant of org 1. */
static struct actor people[6] = {
	{ 0, "", "", "", 0, 0, "" },
	{ 1, "admin@x.cn", "管理员", "admin", ROLE_ADMIN, 0, "" },
	{ 2, "lead2@x.cn", "乙", "lead", ROLE_LEAD, 0, "" },
	{ 3, "lead3@x.cn", "甲", "lead", ROLE_LEAD, 0, "" },
	{ 4, "expert@x.cn", "专家", "expert", ROLE_EXPERT, 0, "" },
	{ 5, "app@x.cn", "申请人", "applicant", ROLE_APPLICANT, 1, "单位" },
};
enum { ADMIN = 1, LEAD2, LEAD3, EXPERT, APPLICANT };

static void
exec(const char *sql)
{
	ts_exec(db, sql);
}

static long long
count(const char *sql)
{
	return ts_int(db, sql);
}

/* One text from sql, in the arena. */
static const char *
text(const char *sql)
{
	return ts_text(db, arena, sql);
}

/* Every row of the tables the steps write, to compare. */
static const char *
written(void)
{
	return arena_printf(arena, "%lld accounts %lld orgs %lld sessions "
	    "%lld disabled %lld resets %lld mails %s", count("SELECT count(*) "
	    "FROM account"), count("SELECT count(*) FROM org"),
	    count("SELECT count(*) FROM session"), count("SELECT count(*) FROM "
	    "account WHERE disabled = 1"), count("SELECT count(*) FROM "
	    "password_reset"), count("SELECT count(*) FROM outbox"),
	    text("SELECT group_concat(password_hash) FROM account"));
}

/* A session of account id (token byte b). */
static void
session(long long id, int b)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO session(token_hash, "
	    "account_id, csrf, created, seen) VALUES (x'%062d%02x', %lld, "
	    "'%043d', %lld, %lld)", 0, b, id, 0, now, now);
	exec(sql);
}

/*
 * Another request at the same time: a second connection begins a write
 * transaction and runs sql now; a thread commits it a moment later, while
 * the code under test waits for the lock.
 */
static sqlite3 *other;
static pthread_t committer;

static void *
commit_later(void *arg)
{
	usleep(200 * 1000);
	if (sqlite3_exec(other, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "commit: %s\n", sqlite3_errmsg(other));
	return arg;
}

static void
race_begin(const char *sql)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	sqlite3_busy_timeout(other, 5000);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, sql, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(pthread_create(&committer, NULL, commit_later, NULL),
	    0);
}

static void
race_end(void)
{
	assert_int_equal(pthread_join(committer, NULL), 0);
	sqlite3_close(other);
}

static int
setup(void **state)
{
	char err[256];
	long long id;
	int i;

	assert_true(sodium_init() >= 0);
	db = ts_open(dir);
	arena = arena_new();
	now = (long long)date_from_ymd(2026, 12, 6) * 86400 + 4 * 3600;
	exec("INSERT INTO org(id, name) VALUES (1, '单位')");
	for (i = 1; i <= 5; i++) {
		assert_int_equal(account_create(db, people[i].email,
		    people[i].name, people[i].role, i == APPLICANT ? 1 : 0, PW,
		    &id, err, sizeof(err)), ACCOUNT_OK);
		assert_int_equal(id, i);
	}
	return 0;
}

static int
teardown(void **state)
{
	arena_free(arena);
	ts_close(db, dir);
	return 0;
}

static void
ctx(struct dom *d, int who)
{
	dom_init(d, db, arena, &people[who], now);
}

static void
test_list(void **state)
{
	struct account_row *rows;
	long long total;
	struct dom d;
	size_t n;

	ctx(&d, ADMIN);
	/* Staff first, then by id. */
	assert_int_equal(account_list(&d, "", 0, 30, &rows, &n, &total),
	    DOM_OK);
	assert_int_equal(total, 5);
	assert_int_equal(n, 5);
	assert_int_equal(rows[0].id, 1);
	assert_int_equal(rows[3].id, 4);
	assert_int_equal(rows[4].id, 5);
	assert_string_equal(rows[4].org, "单位");
	assert_string_equal(rows[4].role, "applicant");
	assert_string_equal(rows[1].org, "");
	/* A role; a page. */
	assert_int_equal(account_list(&d, "lead", 0, 30, &rows, &n, &total),
	    DOM_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].email, "lead2@x.cn");
	assert_int_equal(account_list(&d, NULL, 3, 2, &rows, &n, &total),
	    DOM_OK);
	assert_int_equal(total, 5);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, 4);
	/* Administrators only. */
	ctx(&d, LEAD2);
	assert_int_equal(account_list(&d, "", 0, 30, &rows, &n, &total),
	    DOM_FORBIDDEN);
	assert_int_equal(n, 0);

	/* The active leads, by name (乙 U+4E59 before 甲 U+7532), for
	 * filters: staff. */
	ctx(&d, EXPERT);
	assert_int_equal(account_active(&d, ROLE_LEAD, &rows, &n), DOM_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].name, "乙");
	assert_string_equal(rows[1].name, "甲");
	ctx(&d, APPLICANT);
	assert_int_equal(account_active(&d, ROLE_LEAD, &rows, &n),
	    DOM_FORBIDDEN);
}

static void
test_add_staff(void **state)
{
	const char *before = written();
	struct dom d;
	long long id;

	/* Refusals: not an administrator, an applicant's role, a taken
	 * address, a bad one; nothing written. */
	ctx(&d, LEAD2);
	assert_int_equal(account_add_staff(&d, "new@x.cn", "新人", "assessor",
	    PW, &id), DOM_FORBIDDEN);
	ctx(&d, ADMIN);
	assert_int_equal(account_add_staff(&d, "new@x.cn", "新人", "applicant",
	    PW, &id), DOM_INVALID);
	assert_string_equal(d.field, "role");
	assert_int_equal(account_add_staff(&d, "new@x.cn", "新人", "nobody",
	    PW, &id), DOM_INVALID);
	assert_int_equal(account_add_staff(&d, "LEAD2@x.cn", "新人", "assessor",
	    PW, &id), DOM_CONFLICT);
	assert_string_equal(d.field, "email");
	assert_string_equal(d.msg, "该电子邮箱已有账号。请换一个邮箱，或在下面的"
	    "列表中找到该账号。");
	assert_int_equal(account_add_staff(&d, "not an address", "新人",
	    "assessor", PW, &id), DOM_INVALID);
	assert_string_equal(d.field, "email");
	assert_int_equal(account_add_staff(&d, "new@x.cn", "新人", "assessor",
	    "short", &id), DOM_INVALID);
	assert_string_equal(written(), before);
	/* It works, and the new account logs in. */
	assert_int_equal(account_add_staff(&d, "new@x.cn", "新人", "assessor",
	    PW, &id), DOM_OK);
	assert_int_equal(id, 6);
	assert_int_equal(account_authenticate(&d, "new@x.cn", PW), 6);
	assert_int_equal(count("SELECT count(*) FROM account WHERE id = 6 AND "
	    "role = 'assessor' AND org_id IS NULL"), 1);
}

static void
test_disable(void **state)
{
	const char *before;
	struct dom d;

	session(LEAD2, 1);
	session(LEAD2, 2);
	session(LEAD3, 3);
	before = written();
	/* Not oneself, not by anyone else, not an account that is not. */
	ctx(&d, ADMIN);
	assert_int_equal(account_set_disabled(&d, ADMIN, 1), DOM_FORBIDDEN);
	assert_non_null(strstr(d.msg, "不能停用自己"));
	assert_int_equal(account_set_disabled(&d, 99, 1), DOM_NOT_FOUND);
	ctx(&d, LEAD3);
	assert_int_equal(account_set_disabled(&d, LEAD2, 1), DOM_FORBIDDEN);
	assert_string_equal(written(), before);
	/* Disabled: its sessions end, others stay; it cannot log in. */
	ctx(&d, ADMIN);
	assert_int_equal(account_set_disabled(&d, LEAD2, 1), DOM_OK);
	assert_int_equal(count("SELECT count(*) FROM session WHERE account_id "
	    "= 2"), 0);
	assert_int_equal(count("SELECT count(*) FROM session"), 1);
	assert_int_equal(account_authenticate(&d, "lead2@x.cn", PW), -2);
	ctx(&d, EXPERT);
	assert_int_equal(account_active(&d, ROLE_LEAD, &(struct account_row *)
	    {0}, &(size_t){0}), DOM_OK);
	/* Enabled again. */
	ctx(&d, ADMIN);
	assert_int_equal(account_set_disabled(&d, LEAD2, 0), DOM_OK);
	assert_int_equal(account_authenticate(&d, "lead2@x.cn", PW), LEAD2);
	exec("DELETE FROM session");
}

static void
test_register(void **state)
{
	const char *before = written();
	struct dom d;
	long long until;
	int i;

	exec("DELETE FROM login_failure");
	ctx(&d, 0);
	/* Names that break documents are refused at entry (item 11). */
	assert_int_equal(account_register(&d, "乙\xe2\x80\xae单位", "张三",
	    "z@x.cn", PW, "10.2.0.1", &until), DOM_INVALID);
	assert_string_equal(d.field, "org_name");
	assert_int_equal(account_register(&d, "乙\t单位", "张三", "z@x.cn", PW,
	    "10.2.0.1", &until), DOM_INVALID);
	assert_int_equal(account_register(&d, "乙单位\xf4\x8f\xbf\xbf",
	    "张三", "z@x.cn", PW, "10.2.0.1", &until), DOM_INVALID);
	assert_int_equal(account_register(&d, "乙单位", "张\xe2\x81\xa6三",
	    "z@x.cn", PW, "10.2.0.1", &until), DOM_INVALID);
	assert_string_equal(d.field, "name");
	assert_int_equal(account_register(&d, "乙单位", "张三", "bad", PW,
	    "10.2.0.1", &until), DOM_INVALID);
	assert_string_equal(written(), before);
	/* A taken address: the answer of a new one (item 8), no hash, no
	 * organisation or account, and a mail to its owner. */
	assert_int_equal(account_register(&d, "乙单位", "张三", "APP@x.cn", PW,
	    "10.2.0.1", &until), DOM_OK);
	assert_int_equal(count("SELECT count(*) FROM org WHERE name = '乙单位'"),
	    0);
	assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_addr = "
	    "'APP@x.cn' AND subject = '有人尝试用您的邮箱注册账号'"), 1);
	/* A new one: both, as an applicant of the new organisation, and a
	 * mail to it. */
	assert_int_equal(account_register(&d, "乙单位", "张三", "z@x.cn", PW,
	    "10.2.0.1", &until), DOM_OK);
	assert_int_equal(count("SELECT count(*) FROM account a JOIN org o ON "
	    "o.id = a.org_id WHERE a.email = 'z@x.cn' AND a.role = 'applicant' "
	    "AND o.name = '乙单位'"), 1);
	assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_addr = "
	    "'z@x.cn' AND subject = '申请单位账号已注册'"), 1);
	/* Per client address, five registrations in 15 minutes (item 3):
	 * the sixth is refused before any hash, taken address or not. */
	for (i = 0; i < 3; i++)
		assert_int_equal(account_register(&d, "乙单位", "张三",
		    "APP@x.cn", PW, "10.2.0.1", &until), DOM_OK);
	before = written();
	assert_int_equal(account_register(&d, "丙单位", "张三", "y@x.cn", PW,
	    "10.2.0.1", &until), DOM_CONFLICT);
	assert_true(until >= d.now + 14 * 60);
	assert_int_equal(count("SELECT count(*) FROM account WHERE email = "
	    "'y@x.cn'"), 0);
	/* Another address may. */
	assert_int_equal(account_register(&d, "丙单位", "张三", "y@x.cn", PW,
	    "10.2.0.2", &until), DOM_OK);
	exec("DELETE FROM login_failure");
}

/* Staff names are checked as every name is (item 11). */
static void
test_staff_names(void **state)
{
	struct dom d;
	long long id;

	ctx(&d, ADMIN);
	assert_int_equal(account_add_staff(&d, "n1@x.cn", "王\xe2\x80\xae五",
	    "lead", PW, &id), DOM_INVALID);
	assert_int_equal(account_add_staff(&d, "n1@x.cn", "王\x01五", "lead",
	    PW, &id), DOM_INVALID);
	assert_int_equal(count("SELECT count(*) FROM account WHERE email = "
	    "'n1@x.cn'"), 0);
}

static void
test_passwords(void **state)
{
	const char *before;
	struct dom d;

	ctx(&d, 0);
	assert_int_equal(account_new_password(&d, "short", "short"),
	    DOM_INVALID);
	assert_string_equal(d.field, "password");
	assert_int_equal(account_new_password(&d, "a long password",
	    "a long passw0rd"), DOM_INVALID);
	assert_string_equal(d.field, "password2");
	assert_int_equal(account_new_password(&d, "一二三四五六七八九十一二",
	    "一二三四五六七八九十一二"), DOM_OK);
	assert_int_equal(account_authenticate(&d, "nobody@x.cn", PW), 0);
	assert_int_equal(account_authenticate(&d, "expert@x.cn", "wrong"), 0);
	assert_int_equal(account_authenticate(&d, "EXPERT@x.cn", PW), EXPERT);

	/* A change: the current password must be right. */
	session(EXPERT, 4);
	session(EXPERT, 5);
	before = written();
	ctx(&d, EXPERT);
	assert_int_equal(account_change_password(&d, "wrong", "the second "
	    "password"), DOM_INVALID);
	assert_string_equal(d.field, "current");
	assert_string_equal(d.msg, "当前密码不正确。");
	assert_int_equal(account_change_password(&d, PW, "short"),
	    DOM_INVALID);
	assert_string_equal(d.field, "password");
	ctx(&d, 0);
	assert_int_equal(account_change_password(&d, PW, "the second "
	    "password"), DOM_FORBIDDEN);
	assert_string_equal(written(), before);
	/* It works and ends every session of the account. */
	ctx(&d, EXPERT);
	assert_int_equal(account_change_password(&d, PW, "the second "
	    "password"), DOM_OK);
	assert_int_equal(count("SELECT count(*) FROM session"), 0);
	assert_int_equal(account_authenticate(&d, "expert@x.cn", PW), 0);
	assert_int_equal(account_authenticate(&d, "expert@x.cn", "the second "
	    "password"), EXPERT);
	/* The hash checked is compared again in the transaction: another
	 * connection changes the password (uncommitted when the change
	 * begins, committed while it waits for the lock); the change
	 * loses, with nothing of it written. */
	session(EXPERT, 6);
	race_begin("UPDATE account SET password_hash = 'theirs' WHERE id = 4");
	assert_int_equal(account_change_password(&d, "the second password",
	    "the third password"), DOM_CONFLICT);
	race_end();
	assert_string_equal(text("SELECT password_hash FROM account WHERE id = "
	    "4"), "theirs");
	assert_int_equal(count("SELECT count(*) FROM session"), 1);
	exec("DELETE FROM session");
}

static void
test_login(void **state)
{
	enum totp_need need;
	long long id, until;
	struct dom d;
	int i;

	exec("DELETE FROM login_failure");
	ctx(&d, 0);
	assert_int_equal(login_attempt(&d, "lead3@x.cn", PW, "10.0.0.1", &id,
	    &until, &need), DOM_OK);
	assert_int_equal(id, LEAD3);
	assert_int_equal(login_attempt(&d, "lead3@x.cn", "wrong", "10.0.0.1",
	    &id, &until, &need), DOM_INVALID);
	assert_string_equal(d.field, "email");
	assert_string_equal(d.msg, "电子邮箱或密码不正确。");
	assert_int_equal(id, 0);
	/* Repeated failures slow the account down, progressively (item
	 * 7): two are free, then 5, 10, 20, 40 and at most 60 seconds; the
	 * right password, from anywhere, waits as long, never longer: no
	 * stranger can lock the owner out. */
	exec("DELETE FROM login_failure");
	{
		static const long long wait[] = { 0, 0, 5, 10, 20, 40, 60, 60,
		    60, 60 };

		for (i = 0; i < 10; i++) {
			assert_int_equal(login_attempt(&d, "lead3@x.cn", "wrong",
			    i % 2 ? "10.0.0.2" : "10.0.0.4", &id, &until, &need),
			    DOM_INVALID);
			if (wait[i] == 0)
				continue;
			assert_int_equal(login_attempt(&d, "lead3@x.cn", PW,
			    "10.0.0.3", &id, &until, &need), DOM_CONFLICT);
			assert_int_equal(until, d.now + wait[i]);
			d.now = until;
		}
	}
	/* After the wait, the right password gets in and clears it. */
	assert_int_equal(login_attempt(&d, "lead3@x.cn", PW, "10.0.0.3", &id,
	    &until, &need), DOM_OK);
	assert_int_equal(count("SELECT count(*) FROM login_failure WHERE key "
	    "= 'email:lead3@x.cn'"), 0);
	/* The address: its 20th failure blocks it, for every account, 15
	 * minutes; successes do not count. */
	exec("DELETE FROM login_failure");
	for (i = 0; i < 40; i++) {
		char who[64];

		snprintf(who, sizeof(who), "nobody%d@x.cn", i);
		d.now += 1;
		if (i < 19 && i % 3 == 0) {
			assert_int_equal(login_attempt(&d, "lead3@x.cn", PW,
			    "10.0.0.9", &id, &until, &need), DOM_OK);
			continue;
		}
		if (login_attempt(&d, who, "wrong", "10.0.0.9", &id,
		    &until, &need) == DOM_CONFLICT)
			break;
	}
	assert_int_equal(i, 19 + 7);	/* 12 failures, 7 successes, 8 */
	assert_true(until >= d.now + 14 * 60);
	assert_int_equal(login_attempt(&d, "lead3@x.cn", PW, "10.0.0.9", &id,
	    &until, &need), DOM_CONFLICT);
	assert_int_equal(login_attempt(&d, "lead3@x.cn", PW, "10.0.0.8", &id,
	    &until, &need), DOM_OK);
	/* A disabled account, with its right password, gets the answer of
	 * a wrong one (item 8). */
	exec("DELETE FROM login_failure");
	exec("UPDATE account SET disabled = 1 WHERE id = 3");
	assert_int_equal(login_attempt(&d, "lead3@x.cn", PW, "10.0.0.3", &id,
	    &until, &need), DOM_INVALID);
	assert_string_equal(d.msg, "电子邮箱或密码不正确。");
	assert_int_equal(id, 0);
	exec("UPDATE account SET disabled = 0 WHERE id = 3");
	exec("DELETE FROM login_failure");
}

/*
 * Item 6: workers checking at once. Eight processes, each with its own
 * connection, try a wrong password for one account at the same moment:
 * no more passwords are checked than the rule lets through (two free
 * failures, then the third sets the wait), the rest are refused
 * unchecked. Checking first and counting after let every worker that
 * looked before the first count through.
 */
static void
test_login_race(void **state)
{
	char path[300], err[256];
	int i, status, checked = 0, refused = 0, go[2];
	pid_t pid[8];

	exec("DELETE FROM login_failure");
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(pipe(go), 0);
	for (i = 0; i < 8; i++) {
		if ((pid[i] = fork()) == 0) {
			struct store *s = store_open(path, err, sizeof(err));
			struct arena *a = arena_new();
			long long id, until;
			enum totp_need need;
			struct dom d;
			char c;
			enum dom_rc rc;

			close(go[1]);
			if (s == NULL || read(go[0], &c, 1) != 0)
				_exit(9);
			dom_init(&d, s, a, &people[0], now + 5000);
			rc = login_attempt(&d, "expert@x.cn", "wrong", "10.9.0.1",
			    &id, &until, &need);
			_exit(rc == DOM_INVALID ? 1 : rc == DOM_CONFLICT ? 2 : 9);
		}
		assert_true(pid[i] > 0);
	}
	close(go[0]);
	close(go[1]);		/* all start now */
	for (i = 0; i < 8; i++) {
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status));
		checked += WEXITSTATUS(status) == 1;
		refused += WEXITSTATUS(status) == 2;
	}
	printf("  8 at once: %d passwords checked, %d refused unchecked\n",
	    checked, refused);
	assert_int_equal(checked, 3);
	assert_int_equal(refused, 5);
	assert_int_equal(count("SELECT count FROM login_failure WHERE key = "
	    "'email:expert@x.cn'"), 3);
	exec("DELETE FROM login_failure");
}

/* The token of the last reset mail to to. */
static const char *
mailed_token(const char *to)
{
	char sql[256];
	const char *body, *p;

	snprintf(sql, sizeof(sql), "SELECT replace(body, '[[SECRET]]', "
	    "secret) FROM outbox WHERE to_addr = '%s' ORDER BY id DESC LIMIT 1", to);
	body = text(sql);
	assert_non_null(p = strstr(body, "/password/reset?token="));
	p += strlen("/password/reset?token=");
	return arena_strndup(arena, p, strcspn(p, "\n"));
}

static void
test_reset(void **state)
{
	const char *tok, *email, *before;
	struct dom d;

	exec("DELETE FROM login_failure");
	ctx(&d, 0);
	/* An address nobody has: the same answer, nothing sent. */
	before = written();
	assert_int_equal(reset_request(&d, "nobody@x.cn", "10.1.0.1",
	    "https://zizhi.example"), DOM_OK);
	assert_string_equal(written(), before);
	/* An account's: a link by mail, only the token's hash kept. */
	assert_int_equal(reset_request(&d, "lead2@x.cn", "10.1.0.1",
	    "https://zizhi.example"), DOM_OK);
	tok = mailed_token("lead2@x.cn");
	assert_int_equal(strlen(tok), 43);
	assert_non_null(strstr(text("SELECT body FROM outbox ORDER BY id DESC "
	    "LIMIT 1"), "https://zizhi.example/password/reset?token="));
	assert_int_equal(count("SELECT count(*) FROM password_reset WHERE "
	    "account_id = 2 AND used IS NULL"), 1);
	assert_int_equal(reset_check(&d, tok, &email), DOM_OK);
	assert_string_equal(email, "lead2@x.cn");
	assert_int_equal(reset_check(&d, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAA", &email), DOM_NOT_FOUND);
	assert_int_equal(reset_check(&d, "short", &email), DOM_NOT_FOUND);
	assert_int_equal(reset_check(&d, NULL, &email), DOM_NOT_FOUND);
	/* A second link; using the first spends both, ends the sessions
	 * and sets the password. */
	assert_int_equal(reset_request(&d, "lead2@x.cn", "10.1.0.1",
	    "https://zizhi.example"), DOM_OK);
	session(LEAD2, 7);
	assert_int_equal(reset_use(&d, tok, "a new password", &email), DOM_OK);
	assert_string_equal(email, "lead2@x.cn");
	assert_int_equal(account_authenticate(&d, "lead2@x.cn",
	    "a new password"), LEAD2);
	assert_int_equal(count("SELECT count(*) FROM session"), 0);
	assert_int_equal(count("SELECT count(*) FROM password_reset WHERE "
	    "used IS NULL"), 0);
	/* Once only: the second use finds it spent, nothing changes. */
	before = written();
	assert_int_equal(reset_use(&d, tok, "a third password", &email),
	    DOM_NOT_FOUND);
	assert_int_equal(reset_check(&d, tok, &email), DOM_NOT_FOUND);
	assert_string_equal(written(), before);
	/* Three requests from an address in a window, the unknown
	 * address's included: the fourth sends nothing. */
	before = written();
	assert_int_equal(reset_request(&d, "lead2@x.cn", "10.1.0.1",
	    "https://zizhi.example"), DOM_OK);
	assert_string_equal(written(), before);
	/* Expired after RESET_SECONDS. */
	assert_int_equal(reset_request(&d, "lead2@x.cn", "10.1.0.2",
	    "https://zizhi.example"), DOM_OK);
	tok = mailed_token("lead2@x.cn");
	assert_int_equal(reset_check(&d, tok, &email), DOM_OK);
	before = written();
	d.now = now + RESET_SECONDS + 1;
	assert_int_equal(reset_check(&d, tok, &email), DOM_NOT_FOUND);
	assert_int_equal(reset_use(&d, tok, "a third password", &email),
	    DOM_NOT_FOUND);
	assert_string_equal(written(), before);
	d.now = now;
	assert_int_equal(reset_check(&d, tok, &email), DOM_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_add_staff),
		cmocka_unit_test(test_disable),
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_passwords),
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_login_race),
		cmocka_unit_test(test_staff_names),
		cmocka_unit_test(test_reset),
	};

	return cmocka_run_group_tests_name("accounts, login, reset", tests,
	    setup, teardown);
}
