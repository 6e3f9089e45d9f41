/*
 * itest_security.c: issue 7 over HTTP and the command line.
 *
 *  - login throttling per account and per address, through both doors;
 *  - password reset by e-mailed single-use token, through both doors:
 *    same answer for unknown addresses, the token read from the outbox,
 *    used once, refused when reused or expired, every session ended;
 *  - the events' hash chain on a private server (web submissions and
 *    `zizhi seed` in one chain), `zizhi verify` naming a tampered row;
 *  - `zizhi backup` in a loop while cases are submitted through nginx,
 *    every backup whole, and `zizhi restore` of the last one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "files.h"
#include "testlib_journey.h"

static const char *urls[2];
static const char *door_name[2] = { "serve", "fcgi" };

static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	if (urls[0] == NULL || urls[1] == NULL || getenv("ZIZHI_DB") == NULL ||
	    getenv("ZIZHI_BIN") == NULL) {
		fprintf(stderr, "run under tests/integration.sh\n");
		return -1;
	}
	return 0;
}

static const char *
new_email(const char *what, int door)
{
	static char e[128];
	static int n;

	snprintf(e, sizeof(e), "sec-%s-%ld-%d-%d-%d@example.com", what,
	    (long)time(NULL), (int)getpid(), door, n++);
	return e;
}

static void
register_account(struct http_client *c, const char *email, const char *pw)
{
	struct http_resp r;
	struct buf f;
	char *e = http_urlencode(email), *p = http_urlencode(pw);

	buf_init(&f);
	buf_printf(&f, "org_name=%s&name=%s&email=%s&password=%s&password2=%s",
	    "%E5%AE%89%E5%85%A8%E6%B5%8B%E8%AF%95%E5%85%AC%E5%8F%B8",
	    "%E5%BC%A0%E4%B8%89", e, p, p);
	tj_sql("DELETE FROM login_failure WHERE key LIKE 'register:%'");
	http_post_form(c, "/register", f.p, &r);
	if (r.status != 303)
		fail_msg("register: %ld", r.status);
	http_resp_free(&r);
	/* Registering does not log in: log in. */
	buf_reset(&f);
	buf_printf(&f, "email=%s&password=%s", e, p);
	http_post_form(c, "/login", f.p, &r);
	if (r.status != 303)
		fail_msg("login after register: %ld", r.status);
	http_resp_free(&r);
	buf_free(&f);
	free(e);
	free(p);
}

/* POST /login; the status. The response is kept in *r when r != NULL. */
static long
login(struct http_client *c, const char *email, const char *pw,
    struct http_resp *r)
{
	struct http_resp tmp, *out = r ? r : &tmp;
	char *e = http_urlencode(email), *p = http_urlencode(pw), form[512];
	long st;

	snprintf(form, sizeof(form), "email=%s&password=%s", e, p);
	http_post_form(c, "/login", form, out);
	st = out->status;
	if (r == NULL)
		http_resp_free(&tmp);
	free(e);
	free(p);
	return st;
}

/* One text value from the servers' database; "" if none; free() it. */
static char *
sql_text(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *v = NULL;

	assert_int_equal(sqlite3_open(getenv("ZIZHI_DB"), &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v ? v : strdup("");
}

/* Runs a shell command; its exit status, its output in out (if given). */
static int
run(struct buf *out, const char *fmt, ...)
{
	char cmd[4096], line[1024];
	va_list ap;
	FILE *p;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_non_null(p = popen(cmd, "r"));
	while (fgets(line, sizeof(line), p) != NULL)
		if (out != NULL)
			buf_puts(out, line);
	rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

/* ---------------------------------------------------------------- */

static void
test_login_throttle(void **state)
{
	struct http_client *c, *anon;
	struct http_resp r;
	const char *email;
	char sql[512], em[128], other[128];
	long long left;
	int d;

	for (d = 0; d < 2; d++) {
		tj_sql("DELETE FROM login_failure");
		c = http_client_new(urls[d]);
		snprintf(em, sizeof(em), "%s", new_email("thr", d));
		email = em;
		register_account(c, email, "the right password");
		http_client_free(c);
		anon = http_client_new(urls[d]);

		/* Two failures are free; the third makes the next try wait
		 * 5 seconds, even with the right password. */
		assert_int_equal(login(anon, email, "wrong password 1", NULL),
		    401);
		assert_int_equal(login(anon, email, "wrong password 2", NULL),
		    401);
		assert_int_equal(login(anon, email, "wrong password 3", NULL),
		    401);
		assert_int_equal(login(anon, email, "the right password", &r),
		    429);
		assert_true(http_body_has(&r, "登录尝试过于频繁"));
		assert_true(http_body_has(&r, "秒后再试"));
		left = atoll(http_header(&r, "Retry-After"));
		assert_true(left >= 1 && left <= 5);
		http_resp_free(&r);
		/* Time passes (moved on in the table, not waited for). */
		snprintf(sql, sizeof(sql), "UPDATE login_failure SET "
		    "blocked_until = 0 WHERE key = 'email:%s'", email);
		tj_sql(sql);
		assert_int_equal(login(anon, email, "wrong password 4", NULL),
		    401);
		/* The fourth: 10 seconds. */
		assert_int_equal(login(anon, email, "wrong password 5", &r),
		    429);
		left = atoll(http_header(&r, "Retry-After"));
		assert_true(left > 5 && left <= 10);
		http_resp_free(&r);
		tj_sql(sql);
		/* Never a lock-out (issue 14, item 7): however many failures,
		 * the right password waits a minute at most. */
		snprintf(sql, sizeof(sql), "UPDATE login_failure SET count = "
		    "40, blocked_until = 0 WHERE key = 'email:%s'", email);
		tj_sql(sql);
		assert_int_equal(login(anon, email, "wrong password 6", &r),
		    401);
		http_resp_free(&r);
		assert_int_equal(login(anon, email, "the right password", &r),
		    429);
		assert_true(http_body_has(&r, "秒后再试"));
		left = atoll(http_header(&r, "Retry-After"));
		assert_true(left > 10 && left <= 60);
		http_resp_free(&r);
		/* Kept in the table every worker reads. */
		snprintf(sql, sizeof(sql), "SELECT count FROM login_failure "
		    "WHERE key = 'email:%s'", email);
		assert_int_equal(tj_sql_int(sql), 41);

		/* A minute later (moved on in the table): the right
		 * password gets in and clears the count. */
		snprintf(sql, sizeof(sql), "UPDATE login_failure SET "
		    "blocked_until = 0 WHERE key = 'email:%s'", email);
		tj_sql(sql);
		assert_int_equal(login(anon, email, "the right password", NULL),
		    303);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM login_failure "
		    "WHERE key = 'email:%s'", email);
		assert_int_equal(tj_sql_int(sql), 0);
		/* A success resets the count: two more failures are free. */
		http_client_free(anon);
		anon = http_client_new(urls[d]);
		assert_int_equal(login(anon, email, "wrong password 7", NULL),
		    401);
		assert_int_equal(login(anon, email, "the right password", NULL),
		    303);
		http_client_free(anon);
		anon = http_client_new(urls[d]);
		assert_int_equal(login(anon, email, "wrong password 8", NULL),
		    401);
		assert_int_equal(login(anon, email, "wrong password 9", NULL),
		    401);
		assert_int_equal(login(anon, email, "the right password", NULL),
		    303);

		/* Per address: the 20th failure from one address blocks it
		 * for every account (19 set up in the table). */
		tj_sql("DELETE FROM login_failure");
		tj_sql("INSERT INTO login_failure(key, count, window_start) "
		    "VALUES ('addr:127.0.0.1', 19, strftime('%s', 'now'))");
		http_client_free(anon);
		anon = http_client_new(urls[d]);
		snprintf(other, sizeof(other), "%s", new_email("nobody", d));
		assert_int_equal(login(anon, other, "some password here", &r),
		    429);
		assert_true(http_body_has(&r, "已暂停登录"));
		http_resp_free(&r);
		assert_int_equal(login(anon, email, "the right password", NULL),
		    429);
		tj_sql("DELETE FROM login_failure");
		assert_int_equal(login(anon, email, "the right password", NULL),
		    303);
		http_client_free(anon);
		printf("  throttling ok through %s\n", door_name[d]);
	}
	tj_sql("DELETE FROM login_failure");
}

/* ---------------------------------------------------------------- */

/* The token in the newest reset e-mail to email; static storage. */
static const char *
mailed_token(const char *email, const char *url)
{
	static char tok[64];
	char sql[512], *body, *p, want[128];
	size_t n;

	snprintf(sql, sizeof(sql), "SELECT replace(body, '[[SECRET]]', "
	    "secret) FROM outbox WHERE to_addr = '%s' AND subject = '重设密码' "
	    "ORDER BY id DESC LIMIT 1", email);
	body = sql_text(sql);
	/* The link is built from the address the request came to. */
	snprintf(want, sizeof(want), "%s/password/reset?token=", url);
	p = strstr(body, want);
	if (p == NULL)
		fail_msg("no link to %s in the e-mail:\n%s", want, body);
	p += strlen(want);
	n = strcspn(p, "\n");
	assert_int_equal(n, 43);	/* 256 bits, base64url */
	memcpy(tok, p, n);
	tok[n] = '\0';
	free(body);
	return tok;
}

static long
forgot(struct http_client *c, const char *email)
{
	struct http_resp r;
	char *e = http_urlencode(email), form[300];
	long st;

	snprintf(form, sizeof(form), "email=%s", e);
	http_post_form(c, "/password/forgot", form, &r);
	st = r.status;
	if (st == 303)
		assert_string_equal(http_header(&r, "Location"),
		    "/password/forgot?sent=1");
	http_resp_free(&r);
	free(e);
	return st;
}

static long
reset(struct http_client *c, const char *token, const char *pw,
    const char *pw2, struct http_resp *r)
{
	char *p = http_urlencode(pw), *p2 = http_urlencode(pw2), form[512];

	snprintf(form, sizeof(form), "token=%s&password=%s&password2=%s",
	    token, p, p2);
	http_post_form(c, "/password/reset", form, r);
	free(p);
	free(p2);
	return r->status;
}

static void
test_password_reset(void **state)
{
	struct http_client *c1, *c2, *anon;
	struct http_resp r;
	char em[128], sql[512], path[128], tok[64], *s;
	const char *t;
	long long before;
	int d;

	for (d = 0; d < 2; d++) {
		tj_sql("DELETE FROM login_failure");
		snprintf(em, sizeof(em), "%s", new_email("reset", d));
		c1 = http_client_new(urls[d]);
		register_account(c1, em, "the old password");
		c2 = http_client_new(urls[d]);
		assert_int_equal(login(c2, em, "the old password", NULL), 303);
		anon = http_client_new(urls[d]);

		http_get(anon, "/login", &r);
		assert_true(http_body_has(&r, "href=\"/password/forgot\""));
		http_resp_free(&r);
		http_get(anon, "/password/forgot", &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, "<label for=\"email\">"));
		http_resp_free(&r);

		/* Unknown and known addresses get the same answer; only the
		 * known one gets mail. */
		before = tj_sql_int("SELECT count(*) FROM outbox");
		assert_int_equal(forgot(anon, new_email("unknown", d)), 303);
		assert_int_equal(tj_sql_int("SELECT count(*) FROM outbox"),
		    before);
		assert_int_equal(forgot(anon, em), 303);
		assert_int_equal(tj_sql_int("SELECT count(*) FROM outbox"),
		    before + 1);
		http_get(anon, "/password/forgot?sent=1", &r);
		assert_true(http_body_has(&r, "如果该电子邮箱已注册"));
		http_resp_free(&r);
		snprintf(tok, sizeof(tok), "%s", mailed_token(em, urls[d]));
		/* Only its hash is stored. */
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM password_reset "
		    "WHERE token_hash = CAST('%s' AS BLOB) OR length(token_hash) "
		    "<> 32", tok);
		assert_int_equal(tj_sql_int(sql), 0);

		/* The form; a bad token gets a way forward. */
		http_get(anon, "/password/reset?token=AAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAAAAAAAAAA", &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "链接无效"));
		assert_true(http_body_has(&r, "href=\"/password/forgot\""));
		http_resp_free(&r);
		snprintf(path, sizeof(path), "/password/reset?token=%s", tok);
		http_get(anon, path, &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, em));
		assert_true(http_body_has(&r, "<label for=\"password2\">"));
		http_resp_free(&r);

		/* Mistakes keep the token usable. */
		assert_int_equal(reset(anon, tok, "new password A",
		    "new password B", &r), 400);
		assert_true(http_body_has(&r, "两次输入的密码不一致"));
		http_resp_free(&r);
		assert_int_equal(reset(anon, tok, "short", "short", &r), 400);
		assert_true(http_body_has(&r, "密码长度须为 12 到 1024 个字符"));
		http_resp_free(&r);

		/* Used: the new password works, the old does not, and both
		 * earlier sessions have ended. */
		assert_int_equal(reset(anon, tok, "the new password",
		    "the new password", &r), 303);
		assert_string_equal(http_header(&r, "Location"),
		    "/login?reset=1");
		http_resp_free(&r);
		http_get(anon, "/login?reset=1", &r);
		assert_true(http_body_has(&r, "密码已重设"));
		http_resp_free(&r);
		http_get(c1, "/cases", &r);
		assert_int_equal(r.status, 303);
		assert_non_null(strstr(http_header(&r, "Location"), "/login"));
		http_resp_free(&r);
		http_get(c2, "/cases", &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		assert_int_equal(login(c2, em, "the old password", NULL), 401);
		assert_int_equal(login(c2, em, "the new password", NULL), 303);

		/* Once only. */
		assert_int_equal(reset(anon, tok, "a third password",
		    "a third password", &r), 400);
		assert_true(http_body_has(&r, "已使用过"));
		http_resp_free(&r);
		http_get(anon, path, &r);
		assert_int_equal(r.status, 400);
		http_resp_free(&r);

		/* Expired after 30 minutes (its time moved back). */
		assert_int_equal(forgot(anon, em), 303);
		t = mailed_token(em, urls[d]);
		assert_string_not_equal(t, tok);
		snprintf(tok, sizeof(tok), "%s", t);
		snprintf(path, sizeof(path), "/password/reset?token=%s", tok);
		http_get(anon, path, &r);
		assert_int_equal(r.status, 200);
		http_resp_free(&r);
		snprintf(sql, sizeof(sql), "UPDATE password_reset SET created = "
		    "created - 1801 WHERE used IS NULL AND account_id = (SELECT "
		    "id FROM account WHERE email = '%s')", em);
		tj_sql(sql);
		http_get(anon, path, &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "已过期"));
		http_resp_free(&r);
		assert_int_equal(reset(anon, tok, "a third password",
		    "a third password", &r), 400);
		http_resp_free(&r);
		assert_int_equal(login(c2, em, "a third password", NULL), 401);

		/* At most three requests per address in 15 minutes: the
		 * fourth has the same answer and sends nothing. */
		before = tj_sql_int("SELECT count(*) FROM outbox");
		assert_int_equal(forgot(anon, em), 303);
		assert_int_equal(tj_sql_int("SELECT count(*) FROM outbox"),
		    before);
		s = sql_text("SELECT count FROM login_failure WHERE key = "
		    "'reset:127.0.0.1'");
		assert_string_equal(s, "3");
		free(s);

		http_client_free(c1);
		http_client_free(c2);
		http_client_free(anon);
		printf("  password reset ok through %s\n", door_name[d]);
	}
	tj_sql("DELETE FROM login_failure");
}

/* ---------------------------------------------------------------- */

/* A private `zizhi serve` on its own database; its URL. */
static pid_t
private_server(const char *dir, char *url, size_t len)
{
	char db[600], port[600], log[600];
	FILE *f;
	pid_t pid;
	int i, p = 0;

	snprintf(db, sizeof(db), "%s/zizhi.db", dir);
	snprintf(port, sizeof(port), "%s/port", dir);
	snprintf(log, sizeof(log), "%s/serve.log", dir);
	assert_int_equal(run(NULL, "'%s' init --db '%s' >/dev/null 2>&1",
	    getenv("ZIZHI_BIN"), db), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (freopen(log, "w", stderr) == NULL ||
		    freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execl(getenv("ZIZHI_BIN"), "zizhi", "serve", "--listen",
		    "127.0.0.1:0", "--port-file", port, "--db", db,
		    (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100 && p == 0; i++) {
		usleep(100 * 1000);
		if ((f = fopen(port, "r")) != NULL) {
			if (fscanf(f, "%d", &p) != 1)
				p = 0;
			fclose(f);
		}
	}
	assert_true(p > 0);
	snprintf(url, len, "http://127.0.0.1:%d", p);
	return pid;
}

static void
stop(pid_t pid)
{
	int st;

	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &st, 0), pid);
}

/* The private server and the shared database's path, for the teardown
 * (which also runs when the test fails half-way). */
static pid_t chain_pid;
static char *shared_db;

static int
chain_teardown(void **state)
{
	if (chain_pid > 0)
		stop(chain_pid);
	chain_pid = 0;
	if (shared_db != NULL)
		setenv("ZIZHI_DB", shared_db, 1);
	free(shared_db);
	shared_db = NULL;
	return 0;
}

static void
test_audit_chain(void **state)
{
	char dir[256], db[512], url[128], sql[256];
	struct http_client *c;
	struct buf out;
	long long id1, id2, n, mid, last;

	snprintf(dir, sizeof(dir), "%s/sec-chain-%d", getenv("ZIZHI_TMP"),
	    (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(db, sizeof(db), "%s/zizhi.db", dir);
	chain_pid = private_server(dir, url, sizeof(url));
	shared_db = strdup(getenv("ZIZHI_DB"));
	setenv("ZIZHI_DB", db, 1);

	/* Web submissions and seeded cases write one chain. */
	id1 = tj_submitted_case(url, "链一信息安全有限公司", &c);
	http_client_free(c);
	assert_int_equal(run(NULL, "'%s' seed --cases 3 --db '%s' >/dev/null",
	    getenv("ZIZHI_BIN"), db), 0);
	id2 = tj_submitted_case(url, "链二信息安全有限公司", &c);
	http_client_free(c);
	assert_true(id2 > id1);
	n = tj_sql_int("SELECT count(*) FROM event");
	assert_true(n >= 4);
	assert_int_equal(tj_sql_int("SELECT count(*) FROM event WHERE hash "
	    "IS NULL OR length(hash) <> 32"), 0);
	buf_init(&out);
	assert_int_equal(run(&out, "'%s' verify --db '%s'", getenv("ZIZHI_BIN"),
	    db), 0);
	snprintf(sql, sizeof(sql), "zizhi verify: ok, %lld events, head ", n);
	assert_non_null(strstr(out.p, sql));

	/* An attacker with the file drops the trigger and edits a reason:
	 * verify names that event and fails. */
	mid = tj_sql_int("SELECT id FROM event ORDER BY id LIMIT 1 OFFSET 2");
	last = tj_sql_int("SELECT max(id) FROM event");
	tj_sql("DROP TRIGGER event_no_update");
	snprintf(sql, sizeof(sql), "UPDATE event SET reason = reason || 'x' "
	    "WHERE id = %lld", mid);
	tj_sql(sql);
	buf_reset(&out);
	assert_int_equal(run(&out, "'%s' verify --db '%s'", getenv("ZIZHI_BIN"),
	    db), 1);
	snprintf(sql, sizeof(sql), "BROKEN at event %lld:", mid);
	if (strstr(out.p, sql) == NULL)
		fail_msg("want \"%s\", got %s", sql, out.p);
	/* Put back, the chain holds again. */
	snprintf(sql, sizeof(sql), "UPDATE event SET reason = substr(reason, "
	    "1, length(reason) - 1) WHERE id = %lld", mid);
	tj_sql(sql);
	assert_int_equal(run(NULL, "'%s' verify --db '%s' >/dev/null",
	    getenv("ZIZHI_BIN"), db), 0);
	/* A changed actor, a removed row, a forged row at the end. */
	snprintf(sql, sizeof(sql), "UPDATE event SET actor_id = 1 WHERE id = "
	    "%lld", last);
	tj_sql(sql);
	buf_reset(&out);
	assert_int_equal(run(&out, "'%s' verify --db '%s'", getenv("ZIZHI_BIN"),
	    db), 1);
	snprintf(sql, sizeof(sql), "BROKEN at event %lld:", last);
	assert_non_null(strstr(out.p, sql));
	tj_sql("DROP TRIGGER event_no_delete");
	snprintf(sql, sizeof(sql), "DELETE FROM event WHERE id = %lld", mid);
	tj_sql(sql);
	buf_reset(&out);
	assert_int_equal(run(&out, "'%s' verify --db '%s'", getenv("ZIZHI_BIN"),
	    db), 1);
	snprintf(sql, sizeof(sql), "BROKEN at event %lld:",
	    tj_sql_int("SELECT min(id) FROM event WHERE id > (SELECT id FROM "
	    "event ORDER BY id LIMIT 1 OFFSET 1)"));
	assert_non_null(strstr(out.p, sql));

	/* While its server runs, the database cannot be restored over. */
	buf_reset(&out);
	assert_int_equal(run(&out, "'%s' backup '%s/copy.db' --db '%s' && "
	    "'%s' restore '%s/copy.db' --force --db '%s' 2>&1",
	    getenv("ZIZHI_BIN"), dir, db, getenv("ZIZHI_BIN"), dir, db), 1);
	assert_non_null(strstr(out.p, "stop it first"));
	buf_free(&out);

	/* chain_teardown stops the server and restores ZIZHI_DB. */
}

/* ---------------------------------------------------------------- */

struct counts {
	long long	 cases, events, materials, rounds, notices;
};

static void
counts_of(const char *path, struct counts *c)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	const char *sql = "SELECT (SELECT count(*) FROM cases), (SELECT "
	    "count(*) FROM event), (SELECT count(*) FROM material), (SELECT "
	    "count(*) FROM round), (SELECT count(*) FROM notice)";

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	c->cases = sqlite3_column_int64(st, 0);
	c->events = sqlite3_column_int64(st, 1);
	c->materials = sqlite3_column_int64(st, 2);
	c->rounds = sqlite3_column_int64(st, 3);
	c->notices = sqlite3_column_int64(st, 4);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static int
integrity_ok(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int ok;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return 0;
	}
	ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok;
}

/* Every file the database names is in dir with the right bytes. */
static long long
files_ok(const char *path, const char *dir)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = 0;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT DISTINCT sha256 FROM "
	    "material", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (files_verify(dir, (const char *)sqlite3_column_text(st, 0))
		    != 0)
			fail_msg("%s: file %s bad in %s", path,
			    sqlite3_column_text(st, 0), dir);
		n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
test_backup_under_load(void **state)
{
	char dir[256], path[600], stopfile[600], rdir[600], rdb[700];
	char rfiles[700];
	struct counts before, after, b, src, got;
	struct http_client *c;
	struct buf out;
	FILE *f;
	pid_t child;
	int st, i, n = 0, fails = 0;
	long long k;

	snprintf(dir, sizeof(dir), "%s/sec-backup-%d", getenv("ZIZHI_TMP"),
	    (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(stopfile, sizeof(stopfile), "%s/stop", dir);
	counts_of(getenv("ZIZHI_DB"), &before);

	/* Backups, one after another, while cases are being submitted. */
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		for (i = 0; access(stopfile, F_OK) != 0 && i < 200; i++) {
			snprintf(path, sizeof(path), "%s/b%03d.db", dir, i);
			if (run(NULL, "'%s' backup '%s' --db '%s' >/dev/null",
			    getenv("ZIZHI_BIN"), path, getenv("ZIZHI_DB")) != 0)
				fails++;
		}
		snprintf(path, sizeof(path), "%s/n", dir);
		if ((f = fopen(path, "w")) != NULL) {
			fprintf(f, "%d %d\n", i, fails);
			fclose(f);
		}
		_exit(fails == 0 ? 0 : 1);
	}
	tj_submitted_case(urls[1], "备份期间提交一有限公司", &c);
	http_client_free(c);
	tj_submitted_case(urls[1], "备份期间提交二有限公司", &c);
	http_client_free(c);
	tj_submitted_case(urls[0], "备份期间提交三有限公司", &c);
	http_client_free(c);
	assert_non_null(f = fopen(stopfile, "w"));
	fclose(f);
	assert_int_equal(waitpid(child, &st, 0), child);
	counts_of(getenv("ZIZHI_DB"), &after);
	assert_true(after.cases >= before.cases + 3);
	snprintf(path, sizeof(path), "%s/n", dir);
	assert_non_null(f = fopen(path, "r"));
	assert_int_equal(fscanf(f, "%d %d", &n, &fails), 2);
	fclose(f);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("%d of %d backups failed", fails, n);
	assert_true(n >= 2);
	printf("  %d backups taken while 3 cases were submitted\n", n);

	/* Each is whole, and holds what the source held at some moment
	 * between the start and the end. */
	snprintf(rfiles, sizeof(rfiles), "%s/files", dir);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/b%03d.db", dir, i);
		assert_true(integrity_ok(path));
		counts_of(path, &b);
		assert_true(b.cases >= before.cases && b.cases <= after.cases);
		assert_true(b.events >= before.events &&
		    b.events <= after.events);
		assert_true(b.materials >= before.materials &&
		    b.materials <= after.materials);
		files_ok(path, rfiles);
	}

	/* Quiet now: a backup equals the source; restore it elsewhere. */
	snprintf(path, sizeof(path), "%s/final.db", dir);
	assert_int_equal(run(NULL, "'%s' backup '%s' --db '%s' >/dev/null",
	    getenv("ZIZHI_BIN"), path, getenv("ZIZHI_DB")), 0);
	/* Not over an existing file. */
	assert_int_equal(run(NULL, "'%s' backup '%s' --db '%s' 2>/dev/null",
	    getenv("ZIZHI_BIN"), path, getenv("ZIZHI_DB")), 1);
	snprintf(rdir, sizeof(rdir), "%s/restored", dir);
	assert_int_equal(mkdir(rdir, 0700), 0);
	snprintf(rdb, sizeof(rdb), "%s/zizhi.db", rdir);
	buf_init(&out);
	assert_int_equal(run(&out, "'%s' restore '%s' --db '%s'",
	    getenv("ZIZHI_BIN"), path, rdb), 0);
	assert_non_null(strstr(out.p, "integrity ok"));
	assert_true(integrity_ok(rdb));
	counts_of(getenv("ZIZHI_DB"), &src);
	counts_of(rdb, &got);
	assert_int_equal(got.cases, src.cases);
	assert_int_equal(got.events, src.events);
	assert_int_equal(got.materials, src.materials);
	assert_int_equal(got.rounds, src.rounds);
	assert_int_equal(got.notices, src.notices);
	snprintf(rfiles, sizeof(rfiles), "%s/files", rdir);
	k = files_ok(rdb, rfiles);
	assert_true(k >= 1);
	/* Not over an existing database without --force. */
	buf_reset(&out);
	assert_int_equal(run(&out, "'%s' restore '%s' --db '%s' 2>&1",
	    getenv("ZIZHI_BIN"), path, rdb), 1);
	assert_non_null(strstr(out.p, "--force"));
	/* A damaged backup is refused before anything is written. */
	assert_int_equal(run(NULL, "cp '%s' '%s/bad.db' && printf '%%04096d' 7 "
	    "| dd of='%s/bad.db' bs=4096 seek=2 conv=notrunc 2>/dev/null",
	    path, dir, dir), 0);
	buf_reset(&out);
	assert_int_equal(run(&out, "'%s' restore '%s/bad.db' --db '%s/new.db' "
	    "2>&1", getenv("ZIZHI_BIN"), dir, dir), 1);
	if (strstr(out.p, "integrity") == NULL &&
	    strstr(out.p, "malformed") == NULL)
		fail_msg("damaged backup: %s", out.p);
	snprintf(path, sizeof(path), "%s/new.db", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_throttle),
		cmocka_unit_test(test_password_reset),
		cmocka_unit_test_teardown(test_audit_chain, chain_teardown),
		cmocka_unit_test(test_backup_under_load),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
